import { describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS } from '../../shared/contracts/ipc.js';
import { APP_ORIGIN } from './app-url.js';
import { createIpcDispatcher, IPC_METHODS, IpcRefusedError, type IpcHandlers } from './ipc-dispatch.js';

const SERVER = 'http://127.0.0.1:8600';
const TOKEN = 'q3Jm1Vd8xZ_Yk-0aP9sT2uW4eR6tY8iO0pLkJhGfDsA';

function setup(consoleOrigin = SERVER) {
  const handlers = {
    getServerUrl: vi.fn(() => `${SERVER}/`),
    getVersion: vi.fn(() => '0.1.0'),
    storeToken: vi.fn(async () => ({ stored: true }) as const),
    loadToken: vi.fn(async () => TOKEN),
    clearToken: vi.fn(async () => undefined),
    saveBriefingPdf: vi.fn(async (fileName: string) => ({ saved: true, fileName }) as const),
  } satisfies IpcHandlers;
  const log = vi.fn<(message: string) => void>();
  const dispatch = createIpcDispatcher({ handlers, consoleOrigin, log });
  return { handlers, log, dispatch };
}

describe('createIpcDispatcher', () => {
  it('covers every channel', () => {
    expect(IPC_METHODS.sort()).toEqual(Object.keys(IPC_CHANNELS).sort());
  });

  it('answers the console origin with the handler result', async () => {
    const { dispatch, handlers } = setup();
    await expect(dispatch('getServerUrl', `${SERVER}/`, [])).resolves.toBe(`${SERVER}/`);
    await expect(dispatch('storeToken', `${SERVER}/events?id=1`, [TOKEN])).resolves.toEqual({ stored: true });
    expect(handlers.storeToken).toHaveBeenCalledWith(TOKEN, { contentsId: -1 });
    await expect(dispatch('loadToken', `${SERVER}/`, [])).resolves.toBe(TOKEN);
    await expect(dispatch('clearToken', `${SERVER}/`, [])).resolves.toBeUndefined();
  });

  it('answers the packaged console on app://gridcommand', async () => {
    const { dispatch } = setup(APP_ORIGIN);
    await expect(dispatch('getVersion', 'app://gridcommand/index.html', [])).resolves.toBe('0.1.0');
    await expect(dispatch('getVersion', `${SERVER}/`, [])).rejects.toThrow(IpcRefusedError);
  });

  describe('refuses senders from any other origin before looking at the arguments', () => {
    it.each([
      'http://127.0.0.1:8601/',
      'https://127.0.0.1:8600/',
      'http://localhost:8600/',
      'https://evil.example/',
      'app://gridcommand/index.html',
      'file:///work/out/renderer/index.html',
      'data:text/html,x',
      'about:blank',
      '',
      undefined,
    ])('%j', async (senderUrl) => {
      const { dispatch, handlers, log } = setup();
      await expect(dispatch('storeToken', senderUrl, [TOKEN])).rejects.toThrow('session:store-token is only answered for the console origin');
      expect(handlers.storeToken).not.toHaveBeenCalled();
      expect(log).toHaveBeenCalledWith(`refused session:store-token from ${senderUrl ?? 'a detached frame'}`);
    });
  });

  describe('refuses bad arguments without calling the handler', () => {
    it.each([
      ['storeToken', 'a number', [42]],
      ['storeToken', 'an oversize token', ['A'.repeat(201)]],
      ['storeToken', 'a path', ['../x']],
      ['storeToken', 'an extra argument', [TOKEN, TOKEN]],
      ['storeToken', 'no argument', []],
      ['loadToken', 'an argument', ['x']],
      ['clearToken', 'an object', [{}]],
      ['getServerUrl', 'a number', [1]],
      ['getVersion', 'null', [null]],
      ['saveBriefingPdf', 'a path', ['../../.bashrc.pdf']],
      ['saveBriefingPdf', 'no name', []],
    ] as const)('%s with %s', async (method, _what, args) => {
      const { dispatch, handlers, log } = setup();
      await expect(dispatch(method, `${SERVER}/`, args)).rejects.toThrow(IpcRefusedError);
      expect(handlers[method]).not.toHaveBeenCalled();
      expect(log.mock.calls[0]?.[0]).toMatch(new RegExp(`^refused ${IPC_CHANNELS[method]}: argument`));
    });
  });

  it('keeps a refused token out of the error and the log', async () => {
    const { dispatch, log } = setup();
    const secret = `${TOKEN}!`;
    const error = await dispatch('storeToken', `${SERVER}/`, [secret]).catch((e: unknown) => e);
    expect(String((error as Error).message)).not.toContain(TOKEN);
    expect(JSON.stringify(log.mock.calls)).not.toContain(TOKEN);
  });

  it('hands the handler the calling page, for the PDF export that prints it', async () => {
    const { dispatch, handlers } = setup();
    await expect(dispatch('saveBriefingPdf', `${SERVER}/briefing?from=2027-03-01`, ['交班简报.pdf'], { contentsId: 7 })).resolves.toEqual({ saved: true, fileName: '交班简报.pdf' });
    expect(handlers.saveBriefingPdf).toHaveBeenCalledWith('交班简报.pdf', { contentsId: 7 });
  });

  it('passes handler failures through', async () => {
    const { dispatch, handlers } = setup();
    handlers.loadToken.mockRejectedValueOnce(new Error('disk full'));
    await expect(dispatch('loadToken', `${SERVER}/`, [])).rejects.toThrow('disk full');
  });
});
