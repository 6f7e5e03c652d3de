import { app, ipcMain, shell, type Session } from 'electron';
import { IPC_CHANNELS } from '../../shared/contracts/ipc.js';
import { IPC_METHODS, type IpcDispatch } from './ipc-dispatch.js';
import { EXTERNAL_ORIGIN_ALLOW_LIST, hasContentSecurityPolicy, isAllowedExternalUrl, isPermissionAllowed, isSameOrigin } from './security-policy.js';

type Log = (message: string) => void;

/**
 * Locks every web contents the app ever creates (the console window and anything it might spawn)
 * to the console origin: no navigation or redirect elsewhere, no new windows, no `<webview>`.
 * Registered before any window exists so nothing escapes it.
 */
export function hardenWebContents(consoleOrigin: string, log: Log): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => {
      if (!isSameOrigin(event.url, consoleOrigin)) {
        event.preventDefault();
        log(`blocked navigation to ${event.url}`);
      }
    });
    contents.on('will-redirect', (event) => {
      if (!isSameOrigin(event.url, consoleOrigin)) {
        event.preventDefault();
        log(`blocked redirect to ${event.url}`);
      }
    });
    contents.on('will-attach-webview', (event) => {
      event.preventDefault();
      log('blocked <webview>');
    });
    contents.setWindowOpenHandler(({ url }) => {
      if (isAllowedExternalUrl(url, EXTERNAL_ORIGIN_ALLOW_LIST)) {
        // Electronegativity flags any non-constant openExternal for manual review; reviewed: the URL
        // passed isAllowedExternalUrl (https, exact allow-listed origin; the list ships empty).
        void shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK
      } else {
        log(`denied window.open for ${url}`);
      }
      return { action: 'deny' };
    });
  });
}

/**
 * Permissions and CSP for the session the console runs in. The CSP is added to the console
 * origin's responses that carry none; in packaged mode the `app:` handler sets it itself.
 */
export function hardenSession(session: Session, consoleOrigin: string, csp: string): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(isPermissionAllowed(permission, details.requestingUrl, consoleOrigin));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionAllowed(permission, requestingOrigin, consoleOrigin),
  );

  session.webRequest.onHeadersReceived((details, callback) => {
    if (!isSameOrigin(details.url, consoleOrigin) || hasContentSecurityPolicy(details.responseHeaders)) {
      callback({});
      return;
    }
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
}

/** One `ipcMain.handle` per channel, each going through the dispatcher's origin and argument checks. */
export function registerIpcHandlers(dispatch: IpcDispatch): void {
  for (const method of IPC_METHODS) {
    ipcMain.handle(IPC_CHANNELS[method], (event, ...args: unknown[]) => dispatch(method, event.senderFrame?.url, args, { contentsId: event.sender.id }));
  }
}
