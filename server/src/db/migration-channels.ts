/**
 * Migration 15, channel adapters (多网合一): the cameras that send video alerts, the two mapping
 * tables from a channel's words to catalog items, the record of every channel id seen (so a
 * channel's retry answers the first answer for as long as the case exists, not only as long as
 * Idempotency-Keys are kept), and the triage queue where a hotline case waits for a person.
 * The demo seed fills cameras and mappings for the demo county (modules/channels/channel-demo.ts).
 * IF NOT EXISTS: a database set back to an older version to test a migration keeps them.
 */
export const CHANNELS_MIGRATION_SQL = `
  -- 雪亮工程 / 鹰眼 cameras: where each looks and the micro-grid that takes its alerts
  CREATE TABLE IF NOT EXISTS cameras (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    lon           REAL NOT NULL,
    lat           REAL NOT NULL,
    micro_grid_id TEXT NOT NULL REFERENCES regions(id),
    created_at    TEXT NOT NULL
  ) STRICT;

  -- the video AI's alert types → catalog items, with the confidence below which an alert is refused
  CREATE TABLE IF NOT EXISTS video_alert_mappings (
    alert_type     TEXT PRIMARY KEY,
    item_code      TEXT NOT NULL,
    urgency        TEXT CHECK (urgency IN ('P0','P1','P2','P3')),
    min_confidence REAL NOT NULL CHECK (min_confidence BETWEEN 0 AND 1),
    label          TEXT NOT NULL,
    updated_at     TEXT NOT NULL
  ) STRICT;

  -- the 12345 hotline's category words (诉求分类) → catalog items
  CREATE TABLE IF NOT EXISTS hotline_category_mappings (
    category_text TEXT PRIMARY KEY,
    item_code     TEXT NOT NULL,
    urgency       TEXT CHECK (urgency IN ('P0','P1','P2','P3')),
    updated_at    TEXT NOT NULL
  ) STRICT;

  -- a report waiting for a person to choose its item or place (待人工甄别)
  CREATE TABLE IF NOT EXISTS triage_items (
    id              TEXT PRIMARY KEY,
    channel         TEXT NOT NULL,
    channel_id      TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending','resolved','dismissed')),
    reasons         TEXT NOT NULL,             -- JSON array of item_uncertain / address_unresolved
    suggestions     TEXT NOT NULL,             -- JSON: the classifier's suggestions, best first
    body            TEXT NOT NULL,             -- the channel's body as received (JSON)
    item_text       TEXT NOT NULL,
    description     TEXT NOT NULL,
    address         TEXT,
    caller_name     TEXT,
    caller_phone    TEXT,
    lon             REAL,
    lat             REAL,
    address_code    TEXT,
    town_id         TEXT,
    reporter_id     TEXT NOT NULL,             -- the integration account that posted it
    received_at     TEXT NOT NULL,
    event_id        TEXT REFERENCES events(id),
    decided_at      TEXT,
    decided_by      TEXT,
    decided_by_name TEXT,
    dismiss_reason  TEXT,
    UNIQUE (channel, channel_id)
  ) STRICT;
  CREATE INDEX IF NOT EXISTS triage_items_status ON triage_items(status, received_at);

  -- every channel id seen, with the hash of its body and what it became
  CREATE TABLE IF NOT EXISTS channel_receipts (
    channel      TEXT NOT NULL,
    channel_id   TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    event_id     TEXT REFERENCES events(id),
    triage_id    TEXT REFERENCES triage_items(id),
    created_at   TEXT NOT NULL,
    PRIMARY KEY (channel, channel_id)
  ) STRICT;
  CREATE INDEX IF NOT EXISTS channel_receipts_event ON channel_receipts(event_id) WHERE event_id IS NOT NULL;
`;
