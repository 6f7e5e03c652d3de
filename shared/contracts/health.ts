export interface HealthResponse {
  status: 'ok';
  version: string;
  /** Highest committed change sequence. */
  seq: number;
  uptimeSeconds: number;
  demo: boolean;
  serverTime: string;
}
