// The one registry of observation keys (DESIGN.md §3): every key a decoder, probe or
// the identification engine may emit is listed here with what its value means.
// docs/observation-keys.md is generated from this table and a test keeps them in sync.

export interface KeySpec {
  /** What the value is, with its unit or format. */
  readonly description: string;
  /** Which layer or protocol produces it (used to group the docs). */
  readonly group: string;
}

function keys<T extends Record<string, KeySpec>>(table: T): T {
  return table;
}

export const OBSERVATION_KEYS = keys({
  // Link, network and transport: bindings and passive OS hints.
  'mac.ip': {
    group: 'network',
    description: 'An IPv4 or IPv6 address bound to this MAC (ARP, NDP, DHCP or frames)',
  },
  'net.vlan': {
    group: 'network',
    description: '802.1Q VLAN id (outer tag first for QinQ, as "outer.inner")',
  },
  'net.service': {
    group: 'network',
    description: 'A port this device serves, as "tcp/502" or "udp/47808" (answered a SYN or replied from it)',
  },
  'ip.ttl': {
    group: 'network',
    description: 'Initial IP TTL / hop limit guessed from observed TTL (32, 64, 128 or 255)',
  },
  'tcp.syn': {
    group: 'network',
    description:
      'TCP SYN signature "ttl:window:mss:wscale:options" (options as M,N,W,S,T,E letters in order)',
  },
  'tcp.syn_ack': { group: 'network', description: 'TCP SYN+ACK signature, same format as tcp.syn' },

  // DHCPv4 / DHCPv6
  'dhcp.hostname': { group: 'dhcp', description: 'Option 12 host name' },
  'dhcp.requested_ip': { group: 'dhcp', description: 'Option 50 requested IP address' },
  'dhcp.message_type': {
    group: 'dhcp',
    description: 'Option 53 message type name a client sent (DISCOVER, REQUEST…)',
  },
  'dhcp.param_list': {
    group: 'dhcp',
    description: 'Option 55 parameter request list in order, comma separated (the DHCP fingerprint)',
  },
  'dhcp.max_size': { group: 'dhcp', description: 'Option 57 maximum message size, bytes' },
  'dhcp.vendor_class': { group: 'dhcp', description: 'Option 60 vendor class identifier' },
  'dhcp.client_id': { group: 'dhcp', description: 'Option 61 client identifier, hex' },
  'dhcp.user_class': { group: 'dhcp', description: 'Option 77 user class' },
  'dhcp.fqdn': { group: 'dhcp', description: 'Option 81 client FQDN' },
  'dhcp.offered_ip': {
    group: 'dhcp',
    description: 'Server reply: yiaddr offered or acknowledged to this client (chaddr)',
  },
  'dhcp.router': { group: 'dhcp', description: 'Server reply: option 3 router given to this client' },
  'dhcp.dns_server': { group: 'dhcp', description: 'Server reply: option 6 DNS server given to this client' },
  'dhcp.reply_vendor_class': {
    group: 'dhcp',
    description:
      'Option 60 in a server reply (an echo of the class the server serves, or its own): about the server, never evidence of who made the client',
  },
  'dhcp.server': {
    group: 'dhcp',
    description:
      'This device answered as a DHCP server (value: option 54 server id, or DHCPv6 server DUID hex)',
  },
  'dhcpv6.duid': { group: 'dhcp', description: 'DHCPv6 client DUID, hex' },
  'dhcpv6.vendor_class': { group: 'dhcp', description: 'DHCPv6 vendor class "enterprise:data"' },
  'dhcpv6.fqdn': { group: 'dhcp', description: 'DHCPv6 client FQDN (option 39)' },

  // Names
  'dns.query': { group: 'names', description: 'A name this device asked its DNS resolver for' },
  'dns.server': { group: 'names', description: 'This device answered DNS queries (value: "udp/53")' },
  'mdns.name': {
    group: 'names',
    description:
      'A host name this device announced over mDNS (A/AAAA owner, SRV target, reverse PTR), e.g. host.local',
  },
  'mdns.service': { group: 'names', description: 'A service type this device announced, e.g. _ipp._tcp' },
  'mdns.instance': { group: 'names', description: 'A service instance name this device announced' },
  'mdns.txt': { group: 'names', description: 'A TXT key=value this device announced (model=, md=, ty=, …)' },
  'nbns.name': {
    group: 'names',
    description:
      'NetBIOS name this device registered or answered for, "NAME<20>" (suffix hex; " group" appended for group names)',
  },
  'llmnr.name': { group: 'names', description: 'LLMNR name this device answered for' },

  // Discovery
  'ssdp.server': { group: 'discovery', description: 'SSDP/UPnP SERVER header' },
  'ssdp.usn': { group: 'discovery', description: 'SSDP USN header' },
  'ssdp.location': { group: 'discovery', description: 'SSDP LOCATION URL' },
  'ssdp.nt': { group: 'discovery', description: 'SSDP NT or ST header' },
  'ssdp.user_agent': { group: 'discovery', description: 'SSDP M-SEARCH USER-AGENT header' },
  'lldp.chassis_id': {
    group: 'discovery',
    description: 'LLDP chassis id (MAC, IP, text, or hex when binary)',
  },
  'lldp.port_id': { group: 'discovery', description: 'LLDP port id' },
  'lldp.port_descr': { group: 'discovery', description: 'LLDP port description' },
  'lldp.sys_name': { group: 'discovery', description: 'LLDP system name' },
  'lldp.sys_descr': { group: 'discovery', description: 'LLDP system description' },
  'lldp.capabilities': { group: 'discovery', description: 'LLDP enabled capabilities, comma separated' },
  'lldp.mgmt_addr': { group: 'discovery', description: 'LLDP management address (IPv4, IPv6 or MAC)' },
  'lldp.med_manufacturer': { group: 'discovery', description: 'LLDP-MED inventory manufacturer name' },
  'lldp.med_model': { group: 'discovery', description: 'LLDP-MED inventory model name' },
  'lldp.med_software': { group: 'discovery', description: 'LLDP-MED inventory software revision' },
  'cdp.device_id': { group: 'discovery', description: 'CDP device id' },
  'cdp.platform': { group: 'discovery', description: 'CDP platform' },
  'cdp.software_version': { group: 'discovery', description: 'CDP software version (first line)' },
  'cdp.capabilities': { group: 'discovery', description: 'CDP capabilities, comma separated' },
  'cdp.address': { group: 'discovery', description: 'CDP management address' },
  'cdp.port_id': { group: 'discovery', description: 'CDP port id' },
  'snmp.sys_descr': { group: 'discovery', description: 'SNMP sysDescr.0 from a response or trap' },
  'snmp.sys_object_id': { group: 'discovery', description: 'SNMP sysObjectID.0, dotted OID' },
  'snmp.enterprise': {
    group: 'discovery',
    description: 'IANA enterprise number from sysObjectID, a v1 trap enterprise or a v3 engine id',
  },
  'snmp.sys_name': { group: 'discovery', description: 'SNMP sysName.0' },

  // Web, TLS, banners
  'http.host': { group: 'application', description: 'HTTP request Host header sent by this device' },
  'http.user_agent': { group: 'application', description: 'HTTP request User-Agent sent by this device' },
  'http.server': { group: 'application', description: 'HTTP response Server header from this device' },
  'http.www_authenticate': {
    group: 'application',
    description: 'HTTP WWW-Authenticate realm from this device',
  },
  'http.title': { group: 'application', description: 'HTML <title> of a small page this device served' },
  'tls.sni': { group: 'application', description: 'TLS ClientHello server name sent by this device' },
  'tls.alpn': { group: 'application', description: 'TLS ClientHello ALPN list, comma separated' },
  'tls.versions': {
    group: 'application',
    description: 'TLS ClientHello supported versions, comma separated',
  },
  'tls.ja3': { group: 'application', description: 'JA3 hash (MD5 hex) of a ClientHello' },
  'tls.ja4': { group: 'application', description: 'JA4 fingerprint of a ClientHello (FoxIO JA4 spec)' },
  'tls.ja3s': { group: 'application', description: 'JA3S hash of a ServerHello from this device' },
  'tls.cert_subject_cn': {
    group: 'application',
    description: 'Certificate subject CN this device presented',
  },
  'tls.cert_subject_o': { group: 'application', description: 'Certificate subject O this device presented' },
  'tls.cert_issuer_cn': { group: 'application', description: 'Certificate issuer CN this device presented' },
  'tls.cert_issuer_o': { group: 'application', description: 'Certificate issuer O this device presented' },
  'ssh.banner': { group: 'application', description: 'SSH identification string (server or client)' },
  'ftp.banner': { group: 'application', description: 'FTP server greeting line' },
  'smtp.banner': { group: 'application', description: 'SMTP server greeting line' },
  'telnet.banner': { group: 'application', description: 'Telnet server first text line' },
  'pop3.banner': { group: 'application', description: 'POP3 server greeting line' },
  'imap.banner': { group: 'application', description: 'IMAP server greeting line' },
  'rtsp.server': { group: 'application', description: 'RTSP response Server header' },

  // Industrial
  'ot.role': {
    group: 'industrial',
    description:
      'Role in an industrial protocol, "protocol:server" or "protocol:client" (controller vs station)',
  },
  'modbus.unit_id': { group: 'industrial', description: 'Modbus unit id answered by this device' },
  'modbus.function': { group: 'industrial', description: 'Modbus function code answered by this device' },
  'modbus.vendor': { group: 'industrial', description: 'Modbus 43/14 object 0 VendorName' },
  'modbus.product_code': { group: 'industrial', description: 'Modbus 43/14 object 1 ProductCode' },
  'modbus.revision': { group: 'industrial', description: 'Modbus 43/14 object 2 MajorMinorRevision' },
  'modbus.vendor_url': { group: 'industrial', description: 'Modbus 43/14 object 3 VendorUrl' },
  'modbus.product_name': { group: 'industrial', description: 'Modbus 43/14 object 4 ProductName' },
  'modbus.model_name': { group: 'industrial', description: 'Modbus 43/14 object 5 ModelName' },
  'modbus.server_id': { group: 'industrial', description: 'Modbus 17 Report Server ID text' },
  'modbus.device_object': {
    group: 'industrial',
    description: 'Modbus 43/14 other object as "0xNN=text" (0x06 UserApplicationName, 0x80–0xFF private)',
  },
  's7.order_number': {
    group: 'industrial',
    description: 'S7 SZL 0x0011 order number (MLFB), e.g. 6ES7 151-8AB01-0AB0',
  },
  's7.module_name': { group: 'industrial', description: 'S7 SZL 0x001C module name' },
  's7.plc_name': { group: 'industrial', description: 'S7 SZL 0x001C automation system (PLC) name' },
  's7.serial': { group: 'industrial', description: 'S7 SZL 0x001C serial number' },
  's7.plant_id': { group: 'industrial', description: 'S7 SZL 0x001C plant identification' },
  's7.copyright': { group: 'industrial', description: 'S7 SZL 0x001C copyright string' },
  's7.module_type': { group: 'industrial', description: 'S7 SZL 0x001C module type name' },
  's7.firmware': { group: 'industrial', description: 'S7 SZL 0x0011 firmware version "V x.y.z"' },
  's7.plus': { group: 'industrial', description: 'S7comm-plus (S7-1200/1500) traffic, protocol version' },
  'enip.vendor_id': { group: 'industrial', description: 'CIP identity vendor id (ODVA number)' },
  'enip.device_type': { group: 'industrial', description: 'CIP identity device type number' },
  'enip.product_code': { group: 'industrial', description: 'CIP identity product code' },
  'enip.revision': { group: 'industrial', description: 'CIP identity revision "major.minor"' },
  'enip.serial': { group: 'industrial', description: 'CIP identity serial number, hex' },
  'enip.product_name': { group: 'industrial', description: 'CIP identity product name' },
  'enip.io_connection': {
    group: 'industrial',
    description: 'EtherNet/IP class 0/1 I/O (UDP 2222) connection id this device sends on, hex',
  },
  'bacnet.device_instance': { group: 'industrial', description: 'BACnet device object instance (I-Am)' },
  'bacnet.vendor_id': { group: 'industrial', description: 'BACnet vendor identifier (ASHRAE number)' },
  'bacnet.vendor_name': { group: 'industrial', description: 'BACnet vendor-name property' },
  'bacnet.model_name': { group: 'industrial', description: 'BACnet model-name property' },
  'bacnet.firmware': { group: 'industrial', description: 'BACnet firmware-revision property' },
  'bacnet.app_version': { group: 'industrial', description: 'BACnet application-software-version property' },
  'bacnet.object_name': { group: 'industrial', description: 'BACnet object-name of the device object' },
  'profinet.name_of_station': { group: 'industrial', description: 'PROFINET DCP NameOfStation' },
  'profinet.vendor_id': {
    group: 'industrial',
    description: 'PROFINET DCP vendor id, hex (0x002a = Siemens)',
  },
  'profinet.device_id': { group: 'industrial', description: 'PROFINET DCP device id, hex' },
  'profinet.vendor_value': {
    group: 'industrial',
    description: 'PROFINET DCP DeviceVendorValue (type of station)',
  },
  'profinet.device_role': {
    group: 'industrial',
    description: 'PROFINET DCP device role names, comma separated',
  },
  'profinet.ip': { group: 'industrial', description: 'PROFINET DCP IP address of the station' },
  'dnp3.address': { group: 'industrial', description: 'DNP3 link-layer address of this device' },
  'iec104.common_address': { group: 'industrial', description: 'IEC 60870-5-104 ASDU common address' },
  'opcua.endpoint_url': { group: 'industrial', description: 'OPC UA endpoint URL' },
  'opcua.application_uri': { group: 'industrial', description: 'OPC UA ApplicationUri' },
  'opcua.product_uri': { group: 'industrial', description: 'OPC UA ProductUri' },
  'opcua.application_name': { group: 'industrial', description: 'OPC UA ApplicationName text' },
  'fins.model': { group: 'industrial', description: 'Omron FINS controller data read: controller model' },
  'fins.version': { group: 'industrial', description: 'Omron FINS controller data read: controller version' },
  'melsec.cpu_model': { group: 'industrial', description: 'Mitsubishi SLMP/MC CPU model read response' },
  'melsoft.model': { group: 'industrial', description: 'Mitsubishi MELSOFT (UDP 5560) announced PLC model' },
  'hartip.present': {
    group: 'industrial',
    description: 'HART-IP traffic served by this device (message type)',
  },

  // Active discovery (nmap)
  'nmap.service': { group: 'active', description: 'nmap service "port/proto name product version"' },
  'nmap.product': { group: 'active', description: 'nmap service product' },
  'nmap.cpe': { group: 'active', description: 'nmap CPE string' },
  'nmap.os': { group: 'active', description: 'nmap OS match name (with accuracy)' },
  'nmap.mac_vendor': { group: 'active', description: "nmap's MAC vendor" },
  'nmap.script': { group: 'active', description: 'nmap script output "script-id: text"' },
});

export type ObservationKey = keyof typeof OBSERVATION_KEYS;

export function isObservationKey(key: string): key is ObservationKey {
  return Object.hasOwn(OBSERVATION_KEYS, key);
}
