-- The inventory (DESIGN.md §3): devices with their evidence, identity and history; connections;
-- accepted batches. Secondary indexes cost ingest speed (measured ~10x for two indexes on a bare
-- table), so only what the upserts and the listings need is indexed; see docs/benchmarks.md.

CREATE TABLE devices (
  id INTEGER PRIMARY KEY,
  site_id INTEGER NOT NULL REFERENCES sites (id),
  -- Copied from sites: every analyst query is scoped by operator.
  operator_id INTEGER NOT NULL,
  -- The agent's stable device key: "mac:…" or, where no MAC is visible, "ip:…".
  key TEXT NOT NULL,
  mac TEXT,
  -- JSON arrays, capped when merged.
  ips TEXT NOT NULL,
  hostnames TEXT NOT NULL,
  vlans TEXT NOT NULL,
  services TEXT NOT NULL,
  roles TEXT NOT NULL,
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  -- The UTC day of last_seen: indexed instead of last_seen itself, so that a device re-reported
  -- during the day leaves the index alone and a new device appends to today's group.
  last_seen_day TEXT NOT NULL,
  -- Lower-cased names and text evidence (banners) for ?q= search; data, never interpreted.
  search TEXT NOT NULL,
  -- Identity: what the Identifier decided from the stored evidence (core/inventory.ts Identity).
  vendor TEXT,
  vendor_country TEXT,
  vendor_parent TEXT,
  watchlists TEXT NOT NULL DEFAULT '[]',
  registrant TEXT,
  registrant_country TEXT,
  randomized_mac INTEGER NOT NULL DEFAULT 0,
  class TEXT,
  model TEXT,
  firmware TEXT,
  os TEXT,
  confidence REAL,
  reasons TEXT NOT NULL DEFAULT '[]',
  -- The signatures version the identity was decided with (re-identification resumes from it).
  identified_with TEXT NOT NULL DEFAULT '',
  UNIQUE (site_id, key)
) STRICT;

-- Listing indexes. Each ends in id, and ids grow, so a new device appends to its group's last page
-- instead of landing at a random place (what makes secondary indexes expensive); identity columns
-- are written only when the identity changes, so re-reported devices leave them alone. Measured
-- cost: docs/benchmarks.md.
-- The default listing: an operator's devices in id order; and one site's.
CREATE INDEX devices_by_operator ON devices (operator_id, id);
CREATE INDEX devices_by_site ON devices (site_id, id);
-- The analyst's main filters: origin country, class, watch-listed vendors.
CREATE INDEX devices_by_vendor_country ON devices (operator_id, vendor_country, id);
CREATE INDEX devices_by_class ON devices (operator_id, class, id);
CREATE INDEX devices_watchlisted ON devices (operator_id, id) WHERE watchlists != '[]';
-- "Seen lately" (sort=-lastSeenDay, lastSeenAfter) at day resolution. An index on last_seen
-- itself, rewritten by every re-report, cost ~25% of ingest CPU (docs/benchmarks.md).
CREATE INDEX devices_by_last_seen_day ON devices (operator_id, last_seen_day, id);

-- Observation summaries per device, the evidence identity is decided from. Clustered by device:
-- re-identifying a device reads one contiguous range.
CREATE TABLE evidence (
  device_id INTEGER NOT NULL REFERENCES devices (id),
  key TEXT NOT NULL,
  value ANY NOT NULL,
  source TEXT NOT NULL,
  count INTEGER NOT NULL,
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  PRIMARY KEY (device_id, key, value, source)
) STRICT, WITHOUT ROWID;

-- Every change of a device's decided identity, with the cause (ingest or re-identification).
CREATE TABLE identity_changes (
  device_id INTEGER NOT NULL REFERENCES devices (id),
  at TEXT NOT NULL,
  seq INTEGER NOT NULL,
  cause TEXT NOT NULL CHECK (cause IN ('ingest', 'reidentify')),
  signatures TEXT NOT NULL,
  -- JSON of the decided fields before and after.
  before TEXT NOT NULL,
  after TEXT NOT NULL,
  PRIMARY KEY (device_id, seq)
) STRICT, WITHOUT ROWID;

CREATE TABLE connections (
  id INTEGER PRIMARY KEY,
  device_id INTEGER NOT NULL REFERENCES devices (id),
  site_id INTEGER NOT NULL,
  operator_id INTEGER NOT NULL,
  remote_ip TEXT NOT NULL,
  -- outbound: the device opened the conversation and `port` is the remote's service port;
  -- inbound: a remote opened it and `port` is the device's own service port (an exposed service).
  direction TEXT NOT NULL CHECK (direction IN ('outbound', 'inbound')),
  port INTEGER NOT NULL,
  proto TEXT NOT NULL,
  country TEXT,
  asn INTEGER,
  as_org TEXT,
  provider TEXT,
  provider_kind TEXT,
  names TEXT NOT NULL,
  packets INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  UNIQUE (device_id, remote_ip, port, proto, direction)
) STRICT;

CREATE INDEX connections_by_operator ON connections (operator_id, id);

-- Accepted batches: a repeated (agent, batchId) is answered from here and writes nothing.
CREATE TABLE batches (
  agent_id INTEGER NOT NULL REFERENCES agents (id),
  batch_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  site_id INTEGER NOT NULL,
  received_at TEXT NOT NULL,
  -- JSON of the acknowledgement counts.
  ack TEXT NOT NULL,
  PRIMARY KEY (agent_id, batch_id)
) STRICT, WITHOUT ROWID;
