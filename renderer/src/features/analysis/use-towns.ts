import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { SessionUser } from '../../../../shared/contracts/auth.js';
import { useServices } from '../../app/services';
import { regionsQuery } from '../regions/queries';
import { townChoicesOf } from './analysis-filters';

/** The towns a user's figures may be filtered by: theirs, in code order. */
export function useTownOptions(user: SessionUser): Array<{ id: string; name: string }> {
  const { api } = useServices();
  const { data } = useQuery(regionsQuery(api));
  return useMemo(() => {
    const all = data ? townChoicesOf(data.root) : [];
    return user.scope.kind === 'county' ? all : all.filter((t) => user.scope.kind === 'towns' && user.scope.towns.includes(t.id));
  }, [data, user.scope]);
}
