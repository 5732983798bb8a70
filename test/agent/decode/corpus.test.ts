// Real third-party captures (../shared/corpus, never copied here) through `analyze`: the industrial
// identities the acceptance list names must come out. Skips when the corpus is not present.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCaptures } from '../../../agent/analyze.js';
import { CORPUS } from '../../helpers/corpus.js';

/** file → facts "<device ip or mac> <key>=<value>" that must be observed. */
const ACCEPTANCE: Record<string, string[]> = {
  'iti__s7comm_reading_plc_status.pcap': [
    '192.168.1.40 s7.order_number=6ES7 151-8AB01-0AB0',
    '192.168.1.40 s7.module_name=IM151-8 PN/DP CPU',
    '192.168.1.40 s7.serial=S C-C6TW74882012',
    '192.168.1.40 s7.plc_name=IM151-8-CPU',
    '192.168.1.40 ot.role=s7comm:server',
    '192.168.1.10 ot.role=s7comm:client',
  ],
  'npp-s7comm__s7ident.pcap': [
    '172.17.0.2 s7.order_number=6ES7 315-2EH14-0AB0',
    '172.17.0.2 s7.plc_name=SNAP7-SERVER',
    '172.17.0.2 s7.serial=S C-C2UR28922012',
  ],
  'npp-s7comm__s7comm_plus.pcap': ['192.168.0.1 s7.plus=V3', '192.168.0.1 ot.role=s7comm:server'],
  'iti__enip_test.pcap': [
    '10.1.1.164 enip.product_name=1756-ENBT/A',
    '10.1.1.164 enip.vendor_id=1',
    '10.1.1.164 enip.device_type=12',
    '10.1.1.164 enip.serial=0x00524d8e',
  ],
  'iti__bacnet_test.pcap': [
    '10.1.1.165 bacnet.vendor_id=5',
    '10.1.1.165 bacnet.vendor_name=JCI',
    '10.1.1.165 bacnet.model_name=MS-NAE4510-2',
    '10.1.1.165 bacnet.firmware=5.1.0.4400',
    '10.1.1.165 bacnet.object_name=KBRNAE',
  ],
  'iti__melsoft_UDP_clean_2.pcap': [
    '192.168.3.250 melsoft.model=FX5U-32MT/ES',
    '192.168.3.250 ot.role=melsoft:server',
  ],
  'iti__ChangeIPUsingDCP.pcap': [
    '08:00:06:93:cf:32 profinet.name_of_station=X208-BORD',
    '08:00:06:93:cf:32 profinet.vendor_id=0x002a',
    '08:00:06:93:cf:32 profinet.device_id=0x0a01',
  ],
  'iti__profinet-wireshark-bug.pcap': ['00:02:e3:17:c7:50 profinet.name_of_station=%n%n%n'],
  'iti__MODBUS-TestDataPart1.pcap': ['10.0.0.3 modbus.server_id=Wingpath Limited'],
  'npp-modbus__modbus_example.pcap': [
    '127.0.0.1 modbus.vendor=Zeek Modbus Test',
    '127.0.0.1 modbus.product_code=Protocol Parsing is fun!',
    '127.0.0.1 modbus.revision=1.2.3.6',
  ],
  'iti__DNP3-TestDataPart1.pcap': [
    '10.0.0.3 dnp3.address=4',
    '10.0.0.8 dnp3.address=3',
    '10.0.0.3 ot.role=dnp3:server',
  ],
  'zeek__dnp3_udp_read.pcap': ['192.168.80.12 dnp3.address=1', '192.168.80.160 dnp3.address=100'],
  'iti__TestDissectIec104.pcap': [
    '172.27.248.79 iec104.common_address=37133',
    '172.27.248.79 ot.role=iec104:server',
  ],
  'npp-opcua__open62541_discover_getendpoints_discover_urls.pcap': [
    '127.0.0.1 opcua.application_uri=urn:open62541.example.local_discovery_server',
    '127.0.0.1 opcua.product_uri=http://open62541.org',
  ],
  'npp-opcua__python_opcua-client-server_minimal.pcap': [
    '127.0.0.1 opcua.application_uri=urn:freeopcua:python:server',
    '127.0.0.1 opcua.endpoint_url=opc.tcp://127.0.0.1:4840/freeopcua/server/',
  ],
  'npp-fins__omron_fins_tcp_commands_responses.pcap': ['192.168.0.1 fins.model=AAAAAAAAAAAAAAAAAAAA'],
  'npp-fins__omron.pcap': ['10.4.14.102 fins.version=BBBBBBBBBBBBBBBBBBBB'],
  'iti__hart_ip.pcap': [
    '192.168.0.10 hartip.present=response:session-initiate',
    '192.168.0.10 ot.role=hartip:server',
  ],
};

/** Captures without industrial traffic: no industrial decoder may claim anything in them. */
const UNRELATED = [
  'zeek__chrome-34-google.pcap',
  'iotsentinel__HueBridge__Setup-A-2-STA.pcap',
  'e99drone__Drone_experiment.pcap',
  'zeek__raw_packets.pcap',
  'tcpdump__LLDP_and_CDP.pcap',
];

/** Keys only the industrial decoders emit. */
const INDUSTRIAL = /^(ot|modbus|s7|enip|bacnet|profinet|dnp3|iec104|opcua|fins|melsec|melsoft|hartip)\./;

/** "<address or mac> <key>=<value>" for every fact of every device `analyze` found. */
function facts(file: string): string[] {
  const r = analyzeCaptures([join(CORPUS, file)], { geo: null });
  return r.devices.flatMap((d) =>
    [...d.ips, ...(d.mac ? [d.mac] : [])].flatMap((who) =>
      d.observations.map((o) => `${who} ${o.key}=${o.value}`),
    ),
  );
}

describe.skipIf(!existsSync(CORPUS))('industrial decoders on the shared corpus, through analyze', () => {
  for (const [file, expected] of Object.entries(ACCEPTANCE)) {
    it(file, () => {
      const seen = new Set(facts(file));
      expect(expected.filter((f) => !seen.has(f))).toEqual([]);
    });
  }
  for (const file of UNRELATED) {
    it(`${file} yields no industrial facts`, () =>
      expect(facts(file).filter((f) => INDUSTRIAL.test(f.split(' ')[1]!))).toEqual([]));
  }
});
