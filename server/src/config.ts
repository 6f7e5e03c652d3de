import { resolve } from 'node:path';
import { DEFAULT_AUTH_CONFIG, type AuthConfig } from './modules/auth/auth.service.js';

export interface ServerConfig {
  host: string;
  port: number;
  dataDir: string;
  /** Demo mode: the database was (or will be) seeded with the demo county. */
  demo: boolean;
  /** Folder of the built console (served at `/`). */
  staticDir: string;
  /** A client further behind than this many changes refetches instead of replaying. */
  replayLimit: number;
  /** Largest JSON body accepted, bytes. */
  bodyLimit: number;
  logLevel: string;
  auth: AuthConfig;
  rateLimit: { perMinute: number; loginPerMinute: number };
  /** Extra browser origins allowed to open a socket (the console's own origin always is). */
  allowedOrigins: string[];
  /** How often the deadline monitor looks for steps past their warning point or deadline, ms. */
  deadlineSweepMs: number;
  /** A team holding a case that neither reported a position nor acted for this many minutes raises `team_silent`. */
  teamSilentMinutes: number;
  /** Largest photo upload (`POST /api/v1/attachments`), bytes. */
  attachmentMaxBytes: number;
}

export const DEFAULT_PORT = 8600;

export function defaultConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  return {
    host: '127.0.0.1',
    port: DEFAULT_PORT,
    dataDir: resolve('data'),
    demo: false,
    staticDir: resolve(import.meta.dirname, '../../out/renderer'),
    replayLimit: 10_000,
    bodyLimit: 64 * 1024,
    logLevel: process.env.LOG_LEVEL ?? 'info',
    auth: DEFAULT_AUTH_CONFIG,
    rateLimit: { perMinute: 1200, loginPerMinute: 20 },
    // the packaged Electron console's own origin (electron/main/app-url.ts)
    allowedOrigins: ['app://gridcommand'],
    deadlineSweepMs: 15_000,
    teamSilentMinutes: 30,
    attachmentMaxBytes: 8 * 1024 * 1024,
    ...overrides,
  };
}

export const databaseFile = (dataDir: string) => resolve(dataDir, 'gridcommand.db');
