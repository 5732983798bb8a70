-- Tenancy (DESIGN.md §5): operators (with their sector) own sites; agents report for one site.
-- Tokens are stored as SHA-256 hashes; a token carries a role and a scope.

CREATE TABLE operators (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  sector TEXT NOT NULL,
  -- ISO 3166-1 alpha-2 of the operator's home: connections elsewhere are "foreign".
  country TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE sites (
  id INTEGER PRIMARY KEY,
  operator_id INTEGER NOT NULL REFERENCES operators (id),
  name TEXT NOT NULL,
  -- JSON array of CIDRs: the site's own networks, sent to its agents with their config.
  home_net TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL,
  UNIQUE (operator_id, name)
) STRICT;

CREATE TABLE agents (
  id INTEGER PRIMARY KEY,
  site_id INTEGER NOT NULL REFERENCES sites (id),
  name TEXT NOT NULL,
  -- JSON object: upload and heartbeat intervals, batch size (core/wire.ts AgentConfig).
  settings TEXT NOT NULL DEFAULT '{}',
  enrolled_at TEXT,
  last_seen_at TEXT,
  -- JSON of the last heartbeat body (version, uptime, spool), for the admin listing.
  last_heartbeat TEXT,
  created_at TEXT NOT NULL,
  UNIQUE (site_id, name)
) STRICT;

CREATE TABLE tokens (
  id INTEGER PRIMARY KEY,
  hash BLOB NOT NULL UNIQUE,
  -- The first characters of the token, so that people can tell their tokens apart.
  hint TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'regulator', 'agent', 'enroll', 'metrics')),
  operator_id INTEGER REFERENCES operators (id),
  site_id INTEGER REFERENCES sites (id),
  sector TEXT,
  agent_id INTEGER REFERENCES agents (id),
  label TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  expires_at TEXT,
  revoked_at TEXT,
  last_used_at TEXT
) STRICT;

CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT, WITHOUT ROWID;
