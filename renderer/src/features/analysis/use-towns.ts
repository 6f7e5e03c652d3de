import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { SessionUser } from '../../../../shared/contracts/auth.js';
import { townsOf } from '../../../../shared/contracts/regions.js';
import { useServices } from '../../app/services';
import { regionsQuery } from '../regions/queries';

/** The towns a user's figures may be filtered by: theirs, in code order. */
export function useTownOptions(user: SessionUser): Array<{ id: string; name: string }> {
  const { api } = useServices();
  const { data } = useQuery(regionsQuery(api));
  return useMemo(() => {
    const all = data ? townsOf(data) : [];
    const mine = user.scope.kind === 'county' ? all : all.filter((t) => user.scope.kind === 'towns' && user.scope.towns.includes(t.id));
    return mine.map((t) => ({ id: t.id, name: t.name }));
  }, [data, user.scope]);
}
