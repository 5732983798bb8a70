// OPC UA code tables (OPC 10000-6 §7.1 connection protocol, §6.7 secure conversation; NodeIds.csv encodings).

/** Message types of the UA Connection Protocol and UA Secure Conversation (three ASCII letters). */
export const MESSAGE_TYPES: ReadonlySet<string> = new Set(['HEL', 'ACK', 'ERR', 'RHE', 'OPN', 'MSG', 'CLO']);
/** Chunk types: final, intermediate, abort. */
export const CHUNK_TYPES: ReadonlySet<number> = new Set([0x46, 0x43, 0x41]); // 'F', 'C', 'A'
export const CHUNK_FINAL = 0x46;
export const CHUNK_INTERMEDIATE = 0x43;

/** The only policy whose MSG bodies are plaintext (discovery runs on it). */
export const POLICY_NONE = 'http://opcfoundation.org/UA/SecurityPolicy#None';

/** DefaultBinary encoding NodeIds (namespace 0) of the services read here. */
export const ENCODING = {
  OPEN_SECURE_CHANNEL_REQUEST: 446,
  OPEN_SECURE_CHANNEL_RESPONSE: 449,
  FIND_SERVERS_RESPONSE: 425,
  GET_ENDPOINTS_RESPONSE: 431,
  REGISTER_SERVER_REQUEST: 437,
  CREATE_SESSION_RESPONSE: 464,
  REGISTER_SERVER2_REQUEST: 12211,
} as const;

/** ApplicationType (OPC 10000-4 §7.2). */
export const APPLICATION_TYPE = { SERVER: 0, CLIENT: 1, CLIENT_AND_SERVER: 2, DISCOVERY_SERVER: 3 } as const;

/** Largest message accepted (the connection's negotiated limits are far below). */
export const OPCUA_MAX_MESSAGE = 16 * 1024 * 1024;
