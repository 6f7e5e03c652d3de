/**
 * Every IPC call goes through `createIpcDispatcher`: sender origin first, then the arguments, then
 * the handler. Pure (no Electron), so the refusals are unit-tested; `security.ts` registers it.
 */
import { IPC_CHANNELS, type IpcMethod, type PreloadApi } from '../../shared/contracts/ipc.js';
import { parseIpcArguments } from './ipc-arguments.js';
import { isSameOrigin } from './security-policy.js';

/**
 * Who called, for a handler that acts on the caller's own page (printing it to PDF): the id of
 * the sending web contents, which main looks up again (no Electron object crosses this file).
 */
export interface IpcCaller {
  contentsId: number;
}

/**
 * What main answers per method; keyed and typed like `PreloadApi`, so both sides share one type.
 * After the checked arguments each handler gets the caller, which most ignore.
 */
export type IpcHandlers = {
  [M in IpcMethod]: (...args: [...Parameters<PreloadApi[M]>, IpcCaller]) => ReturnType<PreloadApi[M]> | Awaited<ReturnType<PreloadApi[M]>>;
};

export const IPC_METHODS = Object.keys(IPC_CHANNELS) as IpcMethod[];

/** Thrown into the renderer (as a rejected promise) for a refused call. Carries no argument values. */
export class IpcRefusedError extends Error {
  override readonly name = 'IpcRefusedError';
}

/** One call: the method, the URL of the frame that sent it (undefined when detached), its arguments, who sent it. */
export type IpcDispatch = (method: IpcMethod, senderUrl: string | undefined, args: readonly unknown[], caller?: IpcCaller) => Promise<unknown>;

/**
 * Answers a call only for a frame on `consoleOrigin` and only with arguments that match
 * `IPC_ARGUMENTS`. The origin is checked per call because the frame could have navigated (or been
 * replaced) since the preload ran.
 */
export function createIpcDispatcher(opts: { handlers: IpcHandlers; consoleOrigin: string; log: (message: string) => void }): IpcDispatch {
  const { handlers, consoleOrigin, log } = opts;
  return async (method, senderUrl, args, caller = { contentsId: -1 }) => {
    const channel = IPC_CHANNELS[method];
    if (!isSameOrigin(senderUrl, consoleOrigin)) {
      log(`refused ${channel} from ${senderUrl ?? 'a detached frame'}`);
      throw new IpcRefusedError(`${channel} is only answered for the console origin`);
    }
    const parsed = parseIpcArguments(method, args);
    if (!parsed.ok) {
      log(`refused ${channel}: ${parsed.problem}`);
      throw new IpcRefusedError(`${channel} refused its arguments (${parsed.problem})`);
    }
    // TypeScript cannot tie `handlers[method]` to `parsed.args` for a generic method; the mapped
    // types above and `IPC_ARGUMENTS` tie them per method.
    const handler = handlers[method] as (...validated: readonly unknown[]) => unknown;
    return handler(...parsed.args, caller);
  };
}
