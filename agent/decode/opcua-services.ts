// OPC UA discovery service bodies (OPC 10000-4 §5.4, §5.6.2, §7): the application descriptions they carry.
import { DecodeError } from './errors.js';
import { ENCODING } from './opcua.codes.js';
import { OPCUA_MAX_ARRAY, type UaReader } from './opcua-binary.js';

const P = 'opcua';

/** An application as a service describes it; fields stay null when the message was cut before them. */
export interface UaApplication {
  applicationUri: Uint8Array | null;
  productUri: Uint8Array | null;
  applicationName: Uint8Array | null;
  applicationType: number | null;
}

/** What a service body said. Results fill in as they are read, so a cut message keeps what came before. */
export interface UaService {
  typeId: number;
  /** Services whose descriptions are of the sender itself (endpoints, registration)… */
  own: UaApplication[];
  /** …and FindServers results, which may also list servers registered with a discovery server. */
  found: UaApplication[];
  endpointUrls: Uint8Array[];
}

function newApplication(): UaApplication {
  return { applicationUri: null, productUri: null, applicationName: null, applicationType: null };
}

/** A loop over an encoded array that hands each element's slot out before reading it. */
function each(r: UaReader, field: string, read: () => void): void {
  const count = r.i32(field);
  if (count === -1) return;
  if (count < -1 || count > OPCUA_MAX_ARRAY) throw new DecodeError(P, r.pos - 4, field, `${count} elements`);
  for (let i = 0; i < count; i++) read();
}

/** RequestHeader (§7.28): authentication token, timestamp, handle, diagnostics mask, audit id, timeout, header. */
function requestHeader(r: UaReader): void {
  r.nodeId('request.token');
  r.skip(8, 'request.timestamp');
  r.skip(8, 'request.handle');
  r.bytes('request.audit_entry');
  r.skip(4, 'request.timeout');
  r.extensionObject('request.additional_header');
}

/** ResponseHeader (§7.33): timestamp, handle, service result, diagnostics, string table, additional header. */
function responseHeader(r: UaReader): number {
  r.skip(8, 'response.timestamp');
  r.skip(4, 'response.handle');
  const result = r.u32('response.service_result');
  r.diagnosticInfo('response.diagnostics');
  r.array('response.string_table', () => r.bytes('response.string_table'));
  r.extensionObject('response.additional_header');
  return result;
}

/** ApplicationDescription (§7.2): URI, product URI, name, type, gateway, discovery profile, discovery URLs. */
function applicationDescription(r: UaReader, app: UaApplication): void {
  app.applicationUri = r.bytes('application.uri');
  app.productUri = r.bytes('application.product_uri');
  app.applicationName = r.localizedText('application.name').text;
  app.applicationType = r.u32('application.type');
  r.bytes('application.gateway');
  r.bytes('application.discovery_profile');
  r.array('application.discovery_urls', () => r.bytes('application.discovery_urls'));
}

/**
 * EndpointDescription (§7.14): endpoint URL, server (ApplicationDescription), certificate, security mode,
 * policy URI, user token policies, transport profile URI, security level.
 */
function endpointDescriptions(r: UaReader, out: UaService): void {
  each(r, 'endpoints', () => {
    const url = r.bytes('endpoint.url');
    if (url) out.endpointUrls.push(url);
    const app = newApplication();
    out.own.push(app);
    applicationDescription(r, app);
    r.bytes('endpoint.certificate');
    r.skip(4, 'endpoint.security_mode');
    r.bytes('endpoint.security_policy');
    each(r, 'endpoint.user_tokens', () => {
      r.bytes('user_token.policy_id');
      r.skip(4, 'user_token.type');
      r.bytes('user_token.issued_type');
      r.bytes('user_token.issuer_url');
      r.bytes('user_token.security_policy');
    });
    r.bytes('endpoint.transport_profile');
    r.u8('endpoint.security_level');
  });
}

/** RegisteredServer (§7.32): server URI, product URI, names, type, gateway, discovery URLs, semaphore, online. */
function registeredServer(r: UaReader, out: UaService): void {
  const app = newApplication();
  out.own.push(app);
  app.applicationUri = r.bytes('registered.uri');
  app.productUri = r.bytes('registered.product_uri');
  each(r, 'registered.names', () => {
    const name = r.localizedText('registered.names').text;
    app.applicationName ??= name;
  });
  app.applicationType = r.u32('registered.type');
}

/** Reads the body of a MSG whose type is `typeId`, filling `out`; other services are left unread. */
export function readService(r: UaReader, typeId: number, out: UaService): void {
  switch (typeId) {
    case ENCODING.GET_ENDPOINTS_RESPONSE:
      if (responseHeader(r) < 0x80000000) endpointDescriptions(r, out);
      return;
    case ENCODING.CREATE_SESSION_RESPONSE:
      if (responseHeader(r) >= 0x80000000) return;
      r.nodeId('session.id');
      r.nodeId('session.token');
      r.skip(8, 'session.timeout');
      r.bytes('session.nonce');
      r.bytes('session.certificate');
      endpointDescriptions(r, out);
      return;
    case ENCODING.FIND_SERVERS_RESPONSE:
      if (responseHeader(r) >= 0x80000000) return;
      each(r, 'servers', () => {
        const app = newApplication();
        out.found.push(app);
        applicationDescription(r, app);
      });
      return;
    case ENCODING.REGISTER_SERVER_REQUEST:
    case ENCODING.REGISTER_SERVER2_REQUEST:
      requestHeader(r);
      registeredServer(r, out);
      return;
  }
}
