import { describe, expect, it } from 'vitest';
import { opcuaDecoder } from '../../../agent/decode/opcua.js';
import { ctx, hex, RecordingEmitter } from './helpers.js';
import { type ErrorType, expectDecoderError } from './ot-helpers.js';

// OPC 10000-6 binary encodings, as hex pieces.
const u32 = (v: number) => Buffer.from(Uint32Array.of(v).buffer).toString('hex');
const str = (s: string | null) =>
  s === null ? 'ffffffff' : u32(Buffer.byteLength(s)) + Buffer.from(s).toString('hex');
const text = (s: string) => `02 ${str(s)}`; // LocalizedText with text only
/** A message: type, chunk 'F', size (header included), body. */
function message(type: string, body: string): string {
  const b = body.replace(/#[^\n]*/g, '').replace(/\s/g, '');
  return `${Buffer.from(`${type}F`).toString('hex')} ${u32(8 + b.length / 2)} ${b}`;
}

const NONE = 'http://opcfoundation.org/UA/SecurityPolicy#None';
const HEL = message('HEL', `00000000 00000100 00000100 00000000 00000000 ${str('opc.tcp://10.0.0.5:4840')}`);
const ACK = message('ACK', '00000000 00000100 00000100 00000000 00000000');
// OpenSecureChannel response on policy None (§6.7.2.3 asymmetric header; body not read).
const opn = (policy: string) =>
  message('OPN', `07000000 ${str(policy)} ffffffff ffffffff 01000000 01000000 0100c101`);
const OPN = opn(NONE);
const RESPONSE_HEADER = `
  0000000000000000   # timestamp
  02000000 00000000  # request handle, service result Good
  00 ffffffff        # no diagnostics, null string table
  000000             # additional header: null NodeId, no body
`;
// ApplicationDescription (OPC 10000-4 §7.2).
function application(uri: string, product: string, name: string, type: number, discovery: string): string {
  return `${str(uri)} ${str(product)} ${text(name)} ${u32(type)} ffffffff ffffffff 01000000 ${str(discovery)}`;
}
// GetEndpoints response (§5.4.4) with one endpoint, inside a MSG on the None channel.
const GET_ENDPOINTS = message(
  'MSG',
  `07000000 01000000 02000000 02000000   # channel 7, token 1, sequence 2, request 2
   0100af01                               # type: GetEndpointsResponse_Encoding_DefaultBinary (431)
   ${RESPONSE_HEADER}
   01000000                               # 1 endpoint
   ${str('opc.tcp://10.0.0.5:4840')}      # EndpointUrl
   ${application('urn:example:plc01', 'http://example.com/server', 'PLC01 OPC UA Server', 0, 'opc.tcp://10.0.0.5:4840')}
   ffffffff 01000000 ${str(NONE)}         # no certificate, security mode None, policy
   01000000 ${str('anonymous')} 00000000 ffffffff ffffffff ffffffff # one anonymous user token policy
   ${str('http://opcfoundation.org/UA-Profile/Transport/uatcp-uasc-uabinary')} 00 # transport profile, level 0`,
);
// FindServers response (§5.4.2) from a discovery server listing itself and a registered server.
const FIND_SERVERS = message(
  'MSG',
  `07000000 01000000 03000000 03000000 0100a901 # FindServersResponse (425)
   ${RESPONSE_HEADER} 02000000
   ${application('urn:lds', 'http://example.com/lds', 'LDS', 3, 'opc.tcp://10.0.0.5:4840')}
   ${application('urn:other', 'http://example.com/other', 'Other', 0, 'opc.tcp://10.0.0.6:4840')}`,
);
// RegisterServer2 request (§5.4.6) from a server registering with the discovery server.
const REGISTER = message(
  'MSG',
  `07000000 01000000 02000000 02000000 0100b32f # RegisterServer2Request (12211)
   0000 0000000000000000 01000000 00000000 ffffffff 10270000 000000 # request header: token, time, handle,
                                                                    # diagnostics, audit id, timeout, no extension
   ${str('urn:example:line3')} ${str('http://example.com/line3')}  # ServerUri, ProductUri
   01000000 ${text('Line 3 gateway')} 00000000                      # ServerNames, ServerType Server
   ffffffff 00000000 ffffffff 01                                     # gateway, discovery URLs, semaphore, online
   00000000                                                          # no discovery configuration`,
);

const server = { mac: '00:0e:cf:00:00:01', ip: '10.0.0.5', port: 4840 };
const client = { mac: '00:1b:1b:00:00:01', ip: '10.0.0.9', port: 51000 };
const fromServer = ctx('tcp', { fromClient: false, src: server, dst: client });
const fromClient = ctx('tcp', { fromClient: true, src: client, dst: server });

function observe(bytes: string, c = fromServer): RecordingEmitter {
  const out = new RecordingEmitter();
  opcuaDecoder.observe(opcuaDecoder.decode(hex(bytes), c), c, out);
  return out;
}

describe('opcua decoder', () => {
  it('sniffs UA messages', () => {
    expect(opcuaDecoder.sniff(hex(HEL), fromClient)).toBe(true);
    expect(opcuaDecoder.sniff(hex('474554202f20485454502f312e31'), fromClient)).toBe(false); // "GET / HTTP/1.1"
  });

  it('reads the Hello endpoint URL as the server endpoint', () => {
    const out = observe(HEL, fromClient);
    expect(out.values('opcua.endpoint_url', 'dst')).toEqual(['opc.tcp://10.0.0.5:4840']);
    expect(out.values('ot.role', 'src')).toEqual(['opcua:client']);
  });

  it('reads a GetEndpoints response on a None channel', () => {
    const out = observe(`${ACK} ${OPN} ${GET_ENDPOINTS}`);
    expect(out.values('opcua.application_uri', 'src')).toEqual(['urn:example:plc01']);
    expect(out.values('opcua.product_uri', 'src')).toEqual(['http://example.com/server']);
    expect(out.values('opcua.application_name', 'src')).toEqual(['PLC01 OPC UA Server']);
    expect(out.values('opcua.endpoint_url', 'src')).toEqual(['opc.tcp://10.0.0.5:4840']);
    expect(out.values('ot.role', 'src')).toEqual(['opcua:server']);
  });

  it('reads no MSG body unless the channel was opened with policy None', () => {
    const signed = opn('http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256');
    const pdu = opcuaDecoder.decode(hex(`${ACK} ${signed} ${GET_ENDPOINTS}`), fromServer);
    expect(pdu.messages[2]!.service).toBeNull();
    expect(opcuaDecoder.decode(hex(`${ACK} ${GET_ENDPOINTS}`), fromServer).messages[1]!.service).toBeNull();
  });

  it('keeps what a cut GetEndpoints response held before the cut', () => {
    const whole = hex(`${ACK} ${OPN} ${GET_ENDPOINTS}`);
    const cut = whole.subarray(0, whole.length - 60); // ends inside the user token policy
    const pdu = opcuaDecoder.decode(cut, fromServer);
    expect(pdu.messages[2]!.cut).toBe(true);
    const out = new RecordingEmitter();
    opcuaDecoder.observe(pdu, fromServer, out);
    expect(out.values('opcua.application_uri')).toEqual(['urn:example:plc01']);
  });

  it('takes the discovery server itself from a FindServers response', () => {
    const out = observe(`${ACK} ${OPN} ${FIND_SERVERS}`);
    expect(out.values('opcua.application_uri', 'src')).toEqual(['urn:lds']);
    expect(out.values('opcua.application_name', 'src')).toEqual(['LDS']);
  });

  it('reads the registering server from a RegisterServer2 request', () => {
    const out = observe(`${OPN} ${REGISTER}`, fromClient);
    expect(out.values('opcua.application_uri', 'src')).toEqual(['urn:example:line3']);
    expect(out.values('opcua.product_uri', 'src')).toEqual(['http://example.com/line3']);
    expect(out.values('opcua.application_name', 'src')).toEqual(['Line 3 gateway']);
    expect(out.values('ot.role', 'src')).toEqual(['opcua:client']);
  });

  describe('malformed input', () => {
    const cases: [string, string, string, ErrorType][] = [
      ['header cut', '48454c46', 'header', 'truncated'],
      ['unknown message type', '58595a46 10000000 0000000000000000', 'header.type', 'decode'],
      ['unknown chunk type', '48454c58 10000000 0000000000000000', 'header.chunk', 'decode'],
      ['size below the header', '48454c46 04000000', 'header.size', 'decode'],
      ['first message cut', '48454c46 40000000 00000000', 'message', 'truncated'],
      [
        'Hello URL length overrun',
        message('HEL', `${'00'.repeat(20)} 40000000 6f7063`),
        'hello.endpoint_url',
        'decode',
      ],
      [
        'string length below -1',
        message('HEL', `${'00'.repeat(20)} feffffff`),
        'hello.endpoint_url',
        'decode',
      ],
      [
        'array count above the cap',
        `${OPN} ${message('MSG', `07000000 01000000 02000000 02000000 0100af01 ${RESPONSE_HEADER} 00100000`)}`,
        'endpoints',
        'decode',
      ],
      [
        'bad NodeId encoding',
        `${OPN} ${message('MSG', '07000000 01000000 02000000 02000000 0f00')}`,
        'msg.type',
        'decode',
      ],
    ];
    for (const [name, bytes, field, type] of cases) {
      it(name, () => {
        const decode = () => {
          const pdu = opcuaDecoder.decode(hex(bytes), fromServer);
          if (pdu.stop) throw pdu.stop; // a later message's error ends the run: surface it here
        };
        expectDecoderError(decode, type, field);
      });
    }
  });
});
