import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import type { TrailPoint, TrailResponse } from '../../../../shared/contracts/teams.js';
import { useServices } from '../../app/services';
import { useNow } from '../../app/use-now';
import { teamsQuery, TEAMS_KEY, trailQuery } from './queries';
import { appendToTrail, applyChanged, applyMoved, recentTrail, type TeamsById } from './team-state';

const NO_TEAMS: TeamsById = new Map();
const NO_TRAIL: TrailPoint[] = [];

/** Case changes after which a team's load or status may have moved without a `team:changed`. */
const LOAD_REFETCH_MS = 3_000;
const LOAD_KINDS = new Set(['dispatch', 'auto-dispatch', 'return', 'report', 'close', 'void', 'merge', 'accept', 'start']);

export interface TeamsView {
  teams: TeamsById;
  status: 'pending' | 'error' | 'success';
  error: Error | null;
}

/**
 * The teams the user may see, live: read once, moved and restyled by the pushes, and read again
 * after every reconnect (positions are not replayed) and after case changes that move a load.
 */
export function useTeams(live: boolean): TeamsView {
  const { api, feed } = useServices();
  const queryClient = useQueryClient();
  const query = useQuery({ ...teamsQuery(api, queryClient), enabled: live });

  useEffect(() => {
    if (!live) return;
    const update = (fn: (teams: TeamsById) => TeamsById) => queryClient.setQueryData<TeamsById>(TEAMS_KEY, (old) => (old ? fn(old) : old));
    const refetch = () => void queryClient.invalidateQueries({ queryKey: TEAMS_KEY });
    // A busy feed changes loads many times a second: read the teams again at most every few seconds.
    let timer: ReturnType<typeof setTimeout> | null = null;
    const refetchSoon = () => {
      timer ??= setTimeout(() => {
        timer = null;
        refetch();
      }, LOAD_REFETCH_MS);
    };
    const stops = [
      feed.on('team:moved', (payload) => update((teams) => applyMoved(teams, payload))),
      feed.on('team:changed', (payload) => update((teams) => applyChanged(teams, payload))),
      feed.onResync(refetch),
      feed.onChanges((changes) => {
        if (changes.some((c) => c.kind && LOAD_KINDS.has(c.kind))) refetchSoon();
      }),
    ];
    return () => {
      stops.forEach((stop) => stop());
      if (timer) clearTimeout(timer);
    };
  }, [live, feed, queryClient]);

  return { teams: query.data ?? NO_TEAMS, status: query.status, error: query.error };
}

/**
 * The selected team's trail of the last hour: read when the team is selected and after every
 * reconnect, and extended by each of its pushed positions.
 */
export function useTrail(teamId: string | null, live: boolean): readonly TrailPoint[] {
  const { api, feed } = useServices();
  const queryClient = useQueryClient();
  const query = useQuery({ ...trailQuery(api, teamId ?? ''), enabled: live && teamId !== null });

  useEffect(() => {
    if (!live || teamId === null) return;
    const key = trailQuery(api, teamId).queryKey;
    const stops = [
      feed.on('team:moved', (payload) => {
        const move = payload.teams.find((m) => m.teamId === teamId);
        if (!move) return;
        queryClient.setQueryData<TrailResponse>(key, (old) => (old ? { ...old, points: [...appendToTrail(old.points, move)] } : old));
      }),
      feed.onResync(() => void queryClient.invalidateQueries({ queryKey: key })),
    ];
    return () => stops.forEach((stop) => stop());
  }, [live, teamId, api, feed, queryClient]);

  const now = useNow(60_000);
  const points = teamId !== null && query.data?.teamId === teamId ? query.data.points : undefined;
  return useMemo(() => (points ? recentTrail(points, now) : NO_TRAIL), [points, now]);
}
