import {
  ALERT_KINDS,
  ALERT_SEVERITIES,
  type Alert,
  type AlertClearReason,
  type AlertGroup,
  type AlertKind,
  type AlertListQuery,
  type AlertParams,
  type AlertSeverity,
} from '../../../../shared/contracts/alerts.js';
import { OPEN_STATUSES, TEAM_STATUSES, type DeadlineState, type EventStatus, type Step, type Urgency } from '../../../../shared/contracts/events.js';
import type { Dialect, Store } from '../../db/store.js';
import type { CaseStanding, TeamContact } from './alert-rules.js';

interface AlertRow {
  id: number;
  kind: AlertKind;
  severity: AlertSeverity;
  event_id: string | null;
  team_id: string | null;
  town_id: string | null;
  region_id: string | null;
  raised_at: string;
  message_params: string;
  acked_at: string | null;
  acked_by: string | null;
  ack_note: string | null;
  ack_username: string | null;
  ack_display_name: string | null;
  cleared_at: string | null;
  cleared_reason: AlertClearReason | null;
}

export interface NewAlert {
  kind: AlertKind;
  severity: AlertSeverity;
  eventId: string | null;
  teamId: string | null;
  townId: string | null;
  /** A region above the towns it is addressed to instead (Alert.regionId); absent: none. */
  regionId?: string;
  raisedAt: string;
  params: AlertParams;
  /**
   * What raised it, unique: a second alert of the same cause is never stored, so a restart, a
   * second sweep or a replayed change raises nothing twice. Formats:
   * `urgent_event:<case>`, `task_returned:<case>:<change seq>`, and, built in SQL where their
   * candidates are found, `team_silent:<team>:<last seen>` (`silentTeams`) and
   * `overdue|near_deadline:<case>:<step>:<deadline>` (`deadlineCandidates`); the alerts
   * migration (db/migration-alerts.ts) rebuilt the keys of older alerts the same way.
   */
  causeKey: string;
}

/** A team holding a case, heard from while the server ran and silent since `seenAt`. */
export interface SilentTeam {
  id: string;
  name: string;
  seenAt: string;
  openCases: number;
  /** The case it got last, and its town. */
  eventId: string;
  townId: string;
  /** `team_silent:<team>:<last seen>`: one alert per stretch of silence. */
  causeKey: string;
}

/** An open case alert with the case as it stands now. */
export interface OpenCaseAlert {
  alert: Alert;
  standing: CaseStanding;
}

/** A case whose standing calls for a deadline alert not raised yet, with that alert's kind and cause key. */
export interface DeadlineCandidate {
  kind: 'overdue' | 'near_deadline';
  causeKey: string;
  standing: CaseStanding;
}

const TEAM_HELD = TEAM_STATUSES.map((s) => `'${s}'`).join(',');
const OPEN = OPEN_STATUSES.map((s) => `'${s}'`).join(',');

export const alertId = (n: number): string => `AL${String(n).padStart(8, '0')}`;
/** The row id of an alert id, or null when it is not one. */
export const alertRowId = (id: string): number | null => {
  const m = /^AL(\d{8,12})$/.exec(id);
  return m ? Number(m[1]) : null;
};

const SELECT = `
  SELECT a.*, u.username AS ack_username, u.display_name AS ack_display_name
    FROM alerts a LEFT JOIN users u ON u.id = a.acked_by`;

const OPEN_WHERE = 'a.acked_at IS NULL AND a.cleared_at IS NULL';

const toAlert = (r: AlertRow): Alert => ({
  id: alertId(r.id),
  kind: r.kind,
  severity: r.severity,
  eventId: r.event_id,
  teamId: r.team_id,
  townId: r.town_id,
  regionId: r.region_id,
  raisedAt: r.raised_at,
  params: JSON.parse(r.message_params) as AlertParams,
  acked:
    r.acked_at && r.acked_by
      ? { at: r.acked_at, by: { userId: r.acked_by, username: r.ack_username ?? '', displayName: r.ack_display_name ?? '' }, note: r.ack_note }
      : null,
  cleared: r.cleared_at && r.cleared_reason ? { at: r.cleared_at, reason: r.cleared_reason } : null,
});

interface StandingRow {
  s_id: string;
  s_status: EventStatus;
  s_urgency: Urgency;
  s_supervised: number;
  s_step: Step | null;
  s_step_started_at: string | null;
  s_deadline_at: string | null;
  s_deadline_state: DeadlineState;
  s_team_id: string | null;
  s_team_name: string | null;
  s_town_id: string;
  s_item_name: string;
  s_item_code: string;
  s_address: string;
}

/** The columns of a case's standing, from `events e LEFT JOIN teams t ON t.id = e.team_id`. */
const STANDING_COLUMNS = `e.id AS s_id, e.status AS s_status, e.urgency AS s_urgency, e.supervised AS s_supervised, e.step AS s_step, e.step_started_at AS s_step_started_at,
  e.deadline_at AS s_deadline_at, e.deadline_state AS s_deadline_state, e.team_id AS s_team_id, t.name AS s_team_name,
  e.town_id AS s_town_id, e.item_name AS s_item_name, e.item_code AS s_item_code, e.address AS s_address`;

const toStanding = (r: StandingRow): CaseStanding => ({
  id: r.s_id,
  status: r.s_status,
  urgency: r.s_urgency,
  supervised: r.s_supervised === 1,
  step: r.s_step,
  stepStartedAt: r.s_step_started_at,
  deadlineAt: r.s_deadline_at,
  deadlineState: r.s_deadline_state,
  teamId: r.s_team_id,
  teamName: r.s_team_name,
  townId: r.s_town_id,
  itemName: r.s_item_name,
  itemCode: r.s_item_code,
  address: r.s_address,
});

/** A team's last contact: its newest position or action, whichever is later (SQLite's two-argument MAX is PostgreSQL's GREATEST). */
const seenAt = (dialect: Dialect) => `NULLIF(${dialect === 'postgres' ? 'GREATEST' : 'MAX'}(COALESCE(t.position_at, ''), COALESCE(t.active_at, '')), '')`;

const placeholders = (values: readonly unknown[]) => values.map(() => '?').join(',');

/**
 * The county of an alert of no town (`a`): the county its team serves, by the region tree's
 * parents. Every alert the server raises names its case's town; one of no town and no team is
 * the whole platform's.
 */
const TEAM_COUNTY = `(SELECT CASE r.level WHEN 'county' THEN r.id WHEN 'town' THEN r.parent_id WHEN 'village' THEN p.parent_id END
    FROM teams t JOIN regions r ON r.id = t.home_region_id LEFT JOIN regions p ON p.id = r.parent_id WHERE t.id = a.team_id)`;

/**
 * Alerts: raised once per cause, open until a person acknowledges them or their cause ends
 * (cleared, with when and why); every alert stays, for history.
 */
export class AlertsRepo {
  constructor(private readonly store: Store) {}

  /** Stores a new alert; null when one of the same cause exists already (raised before, in any state). */
  async insert(a: NewAlert): Promise<Alert | null> {
    // NOT EXISTS first: PostgreSQL takes an identity value before ON CONFLICT finds the cause
    // raised, so a repeated cause would leave a gap in the ids SQLite does not (ON CONFLICT still
    // settles two raising one cause at once). The SELECT's parameters have no column to type
    // them on PostgreSQL: the json one is cast (the others are text).
    const params = this.store.dialect === 'postgres' ? 'CAST(? AS json)' : '?';
    const row = await this.store.get<{ id: number }>(
      `INSERT INTO alerts (kind, severity, event_id, team_id, town_id, region_id, raised_at, message_params, cause_key)
       SELECT ?, ?, ?, ?, ?, ?, ?, ${params}, ? WHERE NOT EXISTS (SELECT 1 FROM alerts WHERE cause_key = ?)
       ON CONFLICT (cause_key) WHERE cause_key IS NOT NULL DO NOTHING
       RETURNING id`,
      a.kind,
      a.severity,
      a.eventId,
      a.teamId,
      a.townId,
      a.regionId ?? null,
      a.raisedAt,
      JSON.stringify(a.params),
      a.causeKey,
      a.causeKey,
    );
    return row ? this.get(alertId(Number(row.id))) : null;
  }

  async get(id: string): Promise<Alert | null> {
    const n = alertRowId(id);
    if (n === null) return null;
    const row = await this.store.get<AlertRow>(`${SELECT} WHERE a.id = ?`, n);
    return row ? toAlert(row) : null;
  }

  /**
   * Newest first, with the matched alerts counted by kind and severity (over every page);
   * `scope` limits to its towns, and to the alerts of no town whose team serves one of its
   * counties (null: the whole platform, which sees every alert).
   */
  async list(
    q: AlertListQuery,
    scope: { towns: readonly string[]; counties: readonly string[]; areas: readonly string[] } | null,
  ): Promise<{ items: Alert[]; total: number; groups: AlertGroup[] }> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.state === 'open') where.push(OPEN_WHERE);
    if (q.state === 'acked') where.push('a.acked_at IS NOT NULL');
    if (q.state === 'cleared') where.push('a.cleared_at IS NOT NULL');
    const within = (column: string, values: readonly string[] | undefined | null) => {
      if (!values) return;
      where.push(`${column} IN (${placeholders(values) || 'NULL'})`);
      args.push(...values);
    };
    within('a.kind', q.kind);
    within('a.severity', q.severity);
    within('a.town_id', q.town);
    if (scope) {
      // or addressed to one of its granted regions (a city's 市级交办 results)
      where.push(
        `(a.town_id IN (${placeholders(scope.towns) || 'NULL'}) OR (a.town_id IS NULL AND ${TEAM_COUNTY} IN (${placeholders(scope.counties) || 'NULL'})) OR a.region_id IN (${placeholders(scope.areas) || 'NULL'}))`,
      );
      args.push(...scope.towns, ...scope.counties, ...scope.areas);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const counts = await this.store.all<{ kind: AlertKind; severity: AlertSeverity; n: number }>(
      `SELECT a.kind, a.severity, COUNT(*) AS n FROM alerts a ${clause} GROUP BY a.kind, a.severity`,
      ...args,
    );
    const groups = ALERT_KINDS.flatMap((kind): AlertGroup[] => {
      const of = counts.filter((c) => c.kind === kind);
      if (of.length === 0) return [];
      const bySeverity = Object.fromEntries(ALERT_SEVERITIES.map((s) => [s, of.find((c) => c.severity === s)?.n ?? 0])) as Record<AlertSeverity, number>;
      return [{ kind, count: of.reduce((sum, c) => sum + c.n, 0), bySeverity }];
    });
    const rows = await this.store.all<AlertRow>(`${SELECT} ${clause} ORDER BY a.raised_at DESC, a.id DESC LIMIT ? OFFSET ?`, ...args, q.pageSize, (q.page - 1) * q.pageSize);
    return { items: rows.map(toAlert), total: groups.reduce((sum, g) => sum + g.count, 0), groups };
  }

  /** The county of an alert of no town: the one its team serves (null: no team, or one above the counties). */
  async teamCounty(id: string): Promise<string | null> {
    const n = alertRowId(id);
    if (n === null) return null;
    const row = await this.store.get<{ county: string | null }>(`SELECT ${TEAM_COUNTY} AS county FROM alerts a WHERE a.id = ?`, n);
    return row?.county ?? null;
  }

  /** Records the acknowledgement of an open alert; false when it was acknowledged or cleared already. */
  async ack(id: string, userId: string, at: string, note: string | null): Promise<boolean> {
    const n = alertRowId(id);
    if (n === null) return false;
    return (await this.store.run(`UPDATE alerts AS a SET acked_at = ?, acked_by = ?, ack_note = ? WHERE a.id = ? AND ${OPEN_WHERE}`, at, userId, note, n)).changes > 0;
  }

  /** Records that an open alert's cause ended; false when it was no longer open. */
  async clear(id: string, at: string, reason: AlertClearReason): Promise<boolean> {
    const n = alertRowId(id);
    if (n === null) return false;
    return (await this.store.run(`UPDATE alerts AS a SET cleared_at = ?, cleared_reason = ? WHERE a.id = ? AND ${OPEN_WHERE}`, at, reason, n)).changes > 0;
  }

  /**
   * Open alerts about cases (every kind but team_silent, and assignment_reported, which tells of
   * a case that finished and lasts until the city acknowledges it), of these cases (null: all),
   * with each case as it stands.
   */
  async openCaseAlerts(eventIds: readonly string[] | null): Promise<OpenCaseAlert[]> {
    if (eventIds?.length === 0) return [];
    const only = eventIds ? `AND a.event_id IN (${placeholders(eventIds)})` : '';
    const rows = await this.store.all<AlertRow & StandingRow>(
      `SELECT a.*, u.username AS ack_username, u.display_name AS ack_display_name, ${STANDING_COLUMNS}
           FROM alerts a
           LEFT JOIN users u ON u.id = a.acked_by
           JOIN events e ON e.id = a.event_id
           LEFT JOIN teams t ON t.id = e.team_id
          WHERE ${OPEN_WHERE} AND a.kind NOT IN ('team_silent', 'assignment_reported') ${only}
          ORDER BY a.id`,
      ...(eventIds ?? []),
    );
    return rows.map((r) => ({ alert: toAlert(r), standing: toStanding(r) }));
  }

  /** Open team_silent alerts (null: of every team), with each team's last contact and load now. */
  async openSilenceAlerts(teamIds: readonly string[] | null): Promise<Array<{ alert: Alert; team: TeamContact }>> {
    if (teamIds?.length === 0) return [];
    const only = teamIds ? `AND a.team_id IN (${placeholders(teamIds)})` : '';
    const rows = await this.store.all<AlertRow & { team_seen_at: string | null; team_open_cases: number }>(
      `SELECT a.*, u.username AS ack_username, u.display_name AS ack_display_name, ${seenAt(this.store.dialect)} AS team_seen_at,
                (SELECT COUNT(*) FROM events e WHERE e.team_id = a.team_id AND e.status IN (${TEAM_HELD})) AS team_open_cases
           FROM alerts a
           LEFT JOIN users u ON u.id = a.acked_by
           JOIN teams t ON t.id = a.team_id
          WHERE ${OPEN_WHERE} AND a.kind = 'team_silent' ${only}
          ORDER BY a.id`,
      ...(teamIds ?? []),
    );
    return rows.map((r) => ({ alert: toAlert(r), team: { seenAt: r.team_seen_at, openCases: r.team_open_cases } }));
  }

  /**
   * Open cases (of these, or null: all) whose step is overdue, or near its deadline at one of
   * `nearUrgencies`, and whose alert for that step and deadline was never raised.
   */
  async deadlineCandidates(eventIds: readonly string[] | null, rule: { overdueUrgencies: readonly Urgency[]; nearUrgencies: readonly Urgency[] }): Promise<DeadlineCandidate[]> {
    const { overdueUrgencies, nearUrgencies } = rule;
    if (eventIds?.length === 0) return [];
    const only = eventIds ? `AND e.id IN (${placeholders(eventIds)})` : '';
    const rows = await this.store.all<StandingRow & { kind: 'overdue' | 'near_deadline'; cause_key: string }>(
      `SELECT * FROM (
           SELECT ${STANDING_COLUMNS},
                  CASE e.deadline_state WHEN 'overdue' THEN 'overdue' ELSE 'near_deadline' END AS kind,
                  (CASE e.deadline_state WHEN 'overdue' THEN 'overdue' ELSE 'near_deadline' END) || ':' || e.id || ':' || e.step || ':' || e.deadline_at AS cause_key
             FROM events e LEFT JOIN teams t ON t.id = e.team_id
            WHERE e.status IN (${OPEN}) AND e.step IS NOT NULL AND e.deadline_at IS NOT NULL
              AND ((e.deadline_state = 'overdue' AND (e.supervised = 1 OR e.urgency IN (${placeholders(overdueUrgencies) || 'NULL'})))
                OR (e.deadline_state = 'warning' AND e.urgency IN (${placeholders(nearUrgencies) || 'NULL'})))
              ${only}
         ) c
         WHERE NOT EXISTS (SELECT 1 FROM alerts a WHERE a.cause_key = c.cause_key)
         ORDER BY c.s_deadline_at, c.s_id`,
      ...overdueUrgencies,
      ...nearUrgencies,
      ...(eventIds ?? []),
    );
    return rows.map((r) => ({ kind: r.kind, causeKey: r.cause_key, standing: toStanding(r) }));
  }

  /**
   * Teams that hold a case, were last heard from (a position, an action of theirs, a dispatch to
   * them) at or after `since` (while this server ran) and before `cutoff`, with no alert for that
   * stretch of silence yet. A team not heard from since `since` is not counted: its silence
   * began before anyone could have heard it, and its cases' deadlines still watch it.
   */
  async silentTeams(since: string, cutoff: string): Promise<SilentTeam[]> {
    return this.store.all<SilentTeam>(
      `WITH held AS (
           SELECT team_id, COUNT(*) AS open_cases FROM events WHERE team_id IS NOT NULL AND status IN (${TEAM_HELD}) GROUP BY team_id
         ), seen AS (
           SELECT t.id, t.name, h.open_cases, ${seenAt(this.store.dialect)} AS seen_at
             FROM teams t JOIN held h ON h.team_id = t.id
         )
         SELECT * FROM (
           SELECT s.id, s.name, s.seen_at AS "seenAt", s.open_cases AS "openCases", e.id AS "eventId", e.town_id AS "townId",
                  'team_silent:' || s.id || ':' || s.seen_at AS "causeKey"
             FROM seen s
             JOIN events e ON e.id = (SELECT id FROM events WHERE team_id = s.id AND status IN (${TEAM_HELD}) ORDER BY dispatched_at DESC NULLS LAST, id DESC LIMIT 1)
            WHERE s.seen_at >= ? AND s.seen_at < ?
         ) c
         WHERE NOT EXISTS (SELECT 1 FROM alerts a WHERE a.cause_key = c."causeKey")
         ORDER BY c.id`,
      since,
      cutoff,
    );
  }
}
