/**
 * Migration 10, alerts that clear themselves: the `near_deadline` kind and the `notice`
 * severity (CHECK constraints, so the table is rebuilt), a cause key that makes each cause raise
 * one alert across restarts, and when and why an alert cleared.
 *
 * Cause keys of existing alerts are rebuilt from what they stored (alerts.repo.ts names the
 * formats); a returned task's key needs the change's sequence, which old rows lack, so theirs
 * stay NULL, as does any second alert of one cause. Open `team_silent` alerts are cleared
 * (`rule_changed`): they were raised under the rule that counted silence from before the server
 * ran, which flooded every start with one per team holding a case.
 */
export const ALERTS_CLEARING_SQL = `
  CREATE TABLE alerts_new (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('urgent_event','near_deadline','overdue','task_returned','team_silent')),
    severity       TEXT NOT NULL CHECK (severity IN ('critical','warning','notice')),
    event_id       TEXT REFERENCES events(id),
    team_id        TEXT REFERENCES teams(id),
    town_id        TEXT REFERENCES regions(id),
    raised_at      TEXT NOT NULL,
    message_params TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(message_params)),
    -- what raised it: one alert per cause (a case's step and deadline, a return, a silence)
    cause_key      TEXT,
    acked_at       TEXT,
    acked_by       TEXT REFERENCES users(id),
    ack_note       TEXT,
    -- when and why its cause ended (the alert stays, for history)
    cleared_at     TEXT,
    cleared_reason TEXT CHECK (cleared_reason IN (
      'case_closed','case_voided','case_merged','case_rejected','case_not_admitted','accepted',
      'step_moved','extended','now_overdue','dispatched','team_seen','team_free','rule_changed')),
    CHECK ((acked_at IS NULL) = (acked_by IS NULL)),
    CHECK ((cleared_at IS NULL) = (cleared_reason IS NULL))
  ) STRICT;

  INSERT INTO alerts_new (id, kind, severity, event_id, team_id, town_id, raised_at, message_params, cause_key, acked_at, acked_by, ack_note)
  SELECT id, kind, severity, event_id, team_id, town_id, raised_at, message_params,
         CASE WHEN ROW_NUMBER() OVER (PARTITION BY key ORDER BY id) = 1 THEN key END,
         acked_at, acked_by, ack_note
    FROM (
      SELECT a.*,
             CASE a.kind
               WHEN 'urgent_event' THEN 'urgent_event:' || a.event_id
               WHEN 'overdue' THEN 'overdue:' || a.event_id || ':' || json_extract(a.message_params, '$.step') || ':' || json_extract(a.message_params, '$.deadlineAt')
               WHEN 'team_silent' THEN 'team_silent:' || a.team_id || ':' || json_extract(a.message_params, '$.lastSeenAt')
             END AS key
        FROM alerts a
    );

  UPDATE alerts_new SET cleared_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), cleared_reason = 'rule_changed'
   WHERE kind = 'team_silent' AND acked_at IS NULL;

  DROP TABLE alerts;
  ALTER TABLE alerts_new RENAME TO alerts;

  CREATE UNIQUE INDEX alerts_cause ON alerts(cause_key) WHERE cause_key IS NOT NULL;
  CREATE INDEX alerts_open ON alerts(raised_at) WHERE acked_at IS NULL AND cleared_at IS NULL;
  CREATE INDEX alerts_town ON alerts(town_id, raised_at);
  CREATE INDEX alerts_team ON alerts(team_id, kind, raised_at);
  CREATE INDEX alerts_event ON alerts(event_id, kind);
`;
