import { describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS, type PreloadApi } from '../../shared/contracts/ipc.js';
import { buildPreloadApi, type Invoke } from './api.js';

/**
 * Every member `window.gridcommand` may have. `satisfies` makes this list fail to compile when
 * PreloadApi gains or loses a member, so the test below follows the contract, not the factory.
 */
const PRELOAD_API_MEMBERS = {
  platform: 'string',
  getServerUrl: 'function',
  getVersion: 'function',
  storeToken: 'function',
  loadToken: 'function',
  clearToken: 'function',
  saveBriefingPdf: 'function',
} as const satisfies Record<keyof PreloadApi, 'string' | 'function'>;

const TOKEN = 'q3Jm1Vd8xZ_Yk-0aP9sT2uW4eR6tY8iO0pLkJhGfDsA';

function build() {
  const invoke = vi.fn<Invoke>(async (channel) => `answer from ${channel}`);
  return { api: buildPreloadApi(invoke), invoke };
}

describe('buildPreloadApi', () => {
  it('exposes exactly the PreloadApi members, as plain own properties', () => {
    const { api } = build();
    expect(Object.keys(api).sort()).toEqual(Object.keys(PRELOAD_API_MEMBERS).sort());
    expect(Object.fromEntries(Object.entries(api).map(([key, value]) => [key, typeof value]))).toEqual(PRELOAD_API_MEMBERS);
    expect(Object.getOwnPropertySymbols(api)).toEqual([]);
    expect(Object.getPrototypeOf(api)).toBe(Object.prototype);
    expect(api.platform).toBe('electron');
  });

  it('has a channel for each function and no channel without one', () => {
    const functions = Object.entries(PRELOAD_API_MEMBERS).filter(([, type]) => type === 'function').map(([name]) => name);
    expect(Object.keys(IPC_CHANNELS).sort()).toEqual(functions.sort());
  });

  it.each([
    ['getServerUrl', [], 'config:get-server-url'],
    ['getVersion', [], 'app:get-version'],
    ['loadToken', [], 'session:load-token'],
    ['clearToken', [], 'session:clear-token'],
    ['storeToken', [TOKEN], 'session:store-token'],
    ['saveBriefingPdf', ['交班简报_20270301_1730-20270302_0830.pdf'], 'briefing:save-pdf'],
  ] as const)('%s calls its own channel with exactly its parameters', async (method, args, channel) => {
    const { api, invoke } = build();
    const call = api[method] as (...a: readonly unknown[]) => Promise<unknown>;
    await expect(call(...args)).resolves.toBe(`answer from ${channel}`);
    expect(invoke).toHaveBeenCalledTimes(1);
    expect(invoke).toHaveBeenCalledWith(channel, ...args);
  });

  it('drops extra arguments instead of forwarding them', async () => {
    const { api, invoke } = build();
    const loose = api as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
    await loose.storeToken!(TOKEN, 'extra', { channel: 'x' });
    await loose.getVersion!('session:clear-token');
    expect(invoke.mock.calls).toEqual([['session:store-token', TOKEN], ['app:get-version']]);
  });

  it('lets main refuse the value: the preload forwards, main validates', async () => {
    const { api, invoke } = build();
    invoke.mockRejectedValueOnce(new Error('session:store-token refused its arguments (argument 0: invalid_format)'));
    await expect(api.storeToken('../x')).rejects.toThrow('refused its arguments');
  });
});
