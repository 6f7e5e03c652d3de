import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { FeatureCollection, Geometry } from 'geojson';
import type { AgendaDraft, DeliberationListResponse, DeliberationMeetingView } from '../../../../shared/contracts/deliberation.js';
import type {
  CompositionResponse,
  TrainingCourseList,
  TrainingProgressResponse,
  TrainingSessionDetail,
  TrainingSessionList,
  WorkerCertificateList,
} from '../../../../shared/contracts/training.js';
import type { WorkerActivityResponse, WorkerListResponse, WorkerRecord } from '../../../../shared/contracts/workforce.js';
import type { ApiClient } from '../../app/api-client';
import { workerListQuery, type WorkerFilters } from './workforce-view';

/**
 * The workforce screen's reads, one query per panel so each loads, fails and retries on its own.
 * Records change only through this screen (or an import): a minute's staleness is fine; the
 * list keeps its rows while a changed filter loads.
 */
export const WORKFORCE_KEY = ['workforce'] as const;

const enc = encodeURIComponent;

export const workerListQueryOptions = (api: ApiClient, f: WorkerFilters) =>
  queryOptions({
    queryKey: [...WORKFORCE_KEY, 'workers', workerListQuery(f)],
    queryFn: ({ signal }) => api.get<WorkerListResponse>('/workforce/workers', workerListQuery(f), { signal }),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });

export const workerQuery = (api: ApiClient, id: string) =>
  queryOptions({
    queryKey: [...WORKFORCE_KEY, 'worker', id],
    queryFn: ({ signal }) => api.get<WorkerRecord>(`/workforce/workers/${enc(id)}`, undefined, { signal }),
    staleTime: 60_000,
  });

export const workerActivityQuery = (api: ApiClient, id: string, from: string, to: string) =>
  queryOptions({
    queryKey: [...WORKFORCE_KEY, 'activity', id, from, to],
    queryFn: ({ signal }) => api.get<WorkerActivityResponse>(`/workforce/workers/${enc(id)}/activity`, { from, to }, { signal }),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });

/** Properties of the coverage's features: a served micro-grid (`covered`), or the patrol track. */
export interface CoverageProperties {
  id?: string;
  code?: string;
  name?: string;
  covered?: boolean;
  kind?: string;
  [extra: string]: unknown;
}
export type CoverageCollection = FeatureCollection<Geometry, CoverageProperties>;

export const coverageQuery = (api: ApiClient, id: string, from: string, to: string) =>
  queryOptions({
    queryKey: [...WORKFORCE_KEY, 'coverage', id, from, to],
    queryFn: ({ signal }) => api.get<CoverageCollection>(`/workforce/workers/${enc(id)}/coverage`, { from, to }, { signal }),
    staleTime: 60_000,
  });

/* ------------------------------------------------------------------------------ deliberation day */

export const meetingsQuery = (api: ApiClient, town: string) =>
  queryOptions({
    queryKey: [...WORKFORCE_KEY, 'meetings', town],
    queryFn: ({ signal }) => api.get<DeliberationListResponse>('/deliberation/meetings', { town: town || undefined, pageSize: '200' }, { signal }),
    staleTime: 30_000,
  });

export const meetingQuery = (api: ApiClient, id: string) =>
  queryOptions({
    queryKey: [...WORKFORCE_KEY, 'meeting', id],
    queryFn: ({ signal }) => api.get<DeliberationMeetingView>(`/deliberation/meetings/${enc(id)}`, undefined, { signal }),
    staleTime: 15_000,
  });

export const agendaDraftQuery = (api: ApiClient, gridId: string) =>
  queryOptions({
    queryKey: [...WORKFORCE_KEY, 'agenda-draft', gridId],
    queryFn: ({ signal }) => api.get<AgendaDraft>('/deliberation/agenda-draft', { gridId }, { signal }),
    staleTime: 60_000,
  });

/* ------------------------------------------------------------------------ composition and training */

export const compositionQuery = (api: ApiClient, town: string, asOf: string) =>
  queryOptions({
    queryKey: [...WORKFORCE_KEY, 'composition', town, asOf],
    queryFn: ({ signal }) => api.get<CompositionResponse>('/workforce/composition', { town: town || undefined, asOf: asOf || undefined }, { signal }),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });

export const trainingProgressQuery = (api: ApiClient, town: string, year: number) =>
  queryOptions({
    queryKey: [...WORKFORCE_KEY, 'training', town, year],
    queryFn: ({ signal }) => api.get<TrainingProgressResponse>('/training/progress', { town: town || undefined, year: String(year) }, { signal }),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });

/* ------------------------------------------------------------------------ training records */

/**
 * Everything training under one key: a recorded session, attendance or certificate changes the
 * progress figures, the session list's attendee counts and the certificates alike, so a write
 * invalidates `TRAINING_KEY` whole (and the composition, whose "trained" share counts hours).
 */
export const TRAINING_KEY = [...WORKFORCE_KEY, 'training'] as const;

export const trainingCoursesQuery = (api: ApiClient) =>
  queryOptions({
    queryKey: [...TRAINING_KEY, 'courses'],
    queryFn: ({ signal }) => api.get<TrainingCourseList>('/training/courses', undefined, { signal }),
    staleTime: 60_000,
  });

export const trainingSessionsQuery = (api: ApiClient, town: string, year: number) =>
  queryOptions({
    queryKey: [...TRAINING_KEY, 'sessions', town, year],
    queryFn: ({ signal }) => api.get<TrainingSessionList>('/training/sessions', { town: town || undefined, year: String(year) }, { signal }),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });

export const trainingSessionQuery = (api: ApiClient, id: string) =>
  queryOptions({
    queryKey: [...TRAINING_KEY, 'session', id],
    queryFn: ({ signal }) => api.get<TrainingSessionDetail>(`/training/sessions/${enc(id)}`, undefined, { signal }),
    staleTime: 15_000,
  });

/** Certificates of a town's workers ('' : all the caller's towns). */
export const trainingCertificatesQuery = (api: ApiClient, town: string) =>
  queryOptions({
    queryKey: [...TRAINING_KEY, 'certificates', town],
    queryFn: ({ signal }) => api.get<WorkerCertificateList>('/training/certificates', { town: town || undefined }, { signal }),
    staleTime: 30_000,
  });
