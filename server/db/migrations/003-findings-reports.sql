-- Policies, findings and their triage, regulator reports and their schedules, agent activity
-- (DESIGN.md §3 "Finding", §5). Findings are written on ingest: their indexes are kept to what the
-- listings, the per-device re-evaluation and the waiver sweep need (docs/benchmarks.md).

-- Per-operator policy: shipped packs in load order, home country and OT networks, and the
-- operator's own policy file (YAML: its rules and overrides of the packs' rules), kept as sent.
-- No row: the defaults of docs/collector.md.
CREATE TABLE policy_configs (
  operator_id INTEGER PRIMARY KEY REFERENCES operators (id),
  -- JSON array of pack names.
  packs TEXT NOT NULL,
  -- ISO 3166-1 alpha-2; NULL: the operator's country.
  home_country TEXT,
  -- JSON array of CIDRs: when not empty, "on an OT segment" is membership in them.
  ot_networks TEXT NOT NULL DEFAULT '[]',
  policy_text TEXT,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
) STRICT;

CREATE TABLE findings (
  id INTEGER PRIMARY KEY,
  operator_id INTEGER NOT NULL,
  site_id INTEGER NOT NULL REFERENCES sites (id),
  -- The one device the finding is about (device rules, and connection rules whose findings stay
  -- within one device); NULL for a connection group that spans devices.
  device_id INTEGER REFERENCES devices (id),
  -- core/policy findingId: "f-" + 24 hex digits of SHA-256 over rule and subject, stable across
  -- evaluations; subjects are device keys, unique within a site.
  fid TEXT NOT NULL,
  rule TEXT NOT NULL,
  severity TEXT NOT NULL,
  subject_kind TEXT NOT NULL CHECK (subject_kind IN ('device', 'connection')),
  subject TEXT NOT NULL,
  message TEXT NOT NULL,
  -- JSON object: the facts the rule tested and printed.
  facts TEXT NOT NULL,
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'waived', 'resolved')),
  -- When the status last changed (the full record is finding_changes).
  status_at TEXT NOT NULL,
  waiver_reason TEXT,
  waiver_approver TEXT,
  waiver_until TEXT,
  waiver_granted_by TEXT,
  waiver_granted_at TEXT
) STRICT;

-- One finding per rule and subject: per device (the subject names a device of the site), or per
-- site for groups spanning devices. Keyed by device first, new findings append to the index (the
-- hash alone would land them at random pages, the expensive kind of insert); it also serves the
-- re-evaluation of one device's findings.
CREATE UNIQUE INDEX findings_by_device ON findings (device_id, fid) WHERE device_id IS NOT NULL;
CREATE UNIQUE INDEX findings_site_wide ON findings (site_id, fid) WHERE device_id IS NULL;
-- Listings (an operator's findings in id order, or by status); the sweep that reopens findings
-- whose waiver expired.
CREATE INDEX findings_by_operator ON findings (operator_id, id);
CREATE INDEX findings_by_status ON findings (operator_id, status, id);
CREATE INDEX findings_waived ON findings (waiver_until) WHERE status = 'waived';

-- Every status change of a finding: who (the system, or the label of the token that made it),
-- when, from what to what, and the note or the waiver's terms.
CREATE TABLE finding_changes (
  finding_id INTEGER NOT NULL REFERENCES findings (id),
  seq INTEGER NOT NULL,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  token_id INTEGER,
  from_status TEXT,
  to_status TEXT NOT NULL,
  note TEXT,
  PRIMARY KEY (finding_id, seq)
) STRICT, WITHOUT ROWID;

-- The regulator's summary: when each operator's periods end (five-field cron in an IANA zone) and
-- the language of the files written to the delivery directory. No row: monthly, UTC, English.
CREATE TABLE report_schedules (
  operator_id INTEGER PRIMARY KEY REFERENCES operators (id),
  cron TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  lang TEXT NOT NULL CHECK (lang IN ('en', 'ja')),
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
) STRICT;

-- Produced reports: the signed record, byte for byte (HTML and CSV are rendered from it).
CREATE TABLE reports (
  id INTEGER PRIMARY KEY,
  operator_id INTEGER NOT NULL REFERENCES operators (id),
  period_start TEXT NOT NULL,
  period_end TEXT NOT NULL,
  label TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  generated_at TEXT NOT NULL,
  key_id TEXT NOT NULL,
  -- Hex SHA-256 of the document: what a recipient compares after transfer.
  sha256 TEXT NOT NULL,
  document TEXT NOT NULL,
  -- When the files were written to the delivery directory (NULL: not yet, or none configured).
  delivered_at TEXT,
  UNIQUE (operator_id, period_end)
) STRICT;

-- When each agent was heard from (heartbeats and uploads), as spans: a contact within the
-- tolerance of the span's end extends it, a later one opens a new span. One row per stretch of
-- activity, so a year of minute heartbeats without outages is one row.
CREATE TABLE agent_activity (
  agent_id INTEGER NOT NULL REFERENCES agents (id),
  started_at TEXT NOT NULL,
  ended_at TEXT NOT NULL,
  PRIMARY KEY (agent_id, started_at)
) STRICT, WITHOUT ROWID;
