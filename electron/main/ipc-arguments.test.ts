import { describe, expect, it } from 'vitest';
import { IPC_CHANNELS, PDF_FILE_NAME_MAX_LENGTH, SESSION_TOKEN_MAX_LENGTH, type IpcMethod } from '../../shared/contracts/ipc.js';
import { IPC_ARGUMENTS, parseIpcArguments } from './ipc-arguments.js';

/** A token as the server issues it: 32 random bytes, base64url. */
const TOKEN = 'q3Jm1Vd8xZ_Yk-0aP9sT2uW4eR6tY8iO0pLkJhGfDsA';

describe('IPC_ARGUMENTS', () => {
  it('has one schema per channel, no more', () => {
    expect(Object.keys(IPC_ARGUMENTS).sort()).toEqual(Object.keys(IPC_CHANNELS).sort());
  });
});

describe('parseIpcArguments', () => {
  const noArguments: IpcMethod[] = ['getServerUrl', 'getVersion', 'loadToken', 'clearToken'];

  it.each(noArguments)('%s takes no arguments', (method) => {
    expect(parseIpcArguments(method, [])).toEqual({ ok: true, args: [] });
    expect(parseIpcArguments(method, ['extra'])).toEqual({ ok: false, problem: 'arguments: too_big' });
    expect(parseIpcArguments(method, [undefined])).toMatchObject({ ok: false });
  });

  it('storeToken takes one base64url token', () => {
    expect(parseIpcArguments('storeToken', [TOKEN])).toEqual({ ok: true, args: [TOKEN] });
    expect(parseIpcArguments('storeToken', ['a'])).toEqual({ ok: true, args: ['a'] });
    expect(parseIpcArguments('storeToken', ['A'.repeat(SESSION_TOKEN_MAX_LENGTH)]).ok).toBe(true);
  });

  it.each([
    ['no argument', [], 'arguments: too_small'],
    ['a number', [42], 'argument 0: invalid_type'],
    ['null', [null], 'argument 0: invalid_type'],
    ['an object', [{ token: TOKEN }], 'argument 0: invalid_type'],
    ['a String object', [Object('abc')], 'argument 0: invalid_type'],
    ['an array', [[TOKEN]], 'argument 0: invalid_type'],
    ['an empty string', [''], 'argument 0: too_small; argument 0: invalid_format'],
    ['an oversize token', ['A'.repeat(SESSION_TOKEN_MAX_LENGTH + 1)], 'argument 0: too_big'],
    ['a megabyte', ['A'.repeat(1_000_000)], 'argument 0: too_big'],
    ['padding', [`${TOKEN}=`], 'argument 0: invalid_format'],
    ['standard base64', ['ab+/cd'], 'argument 0: invalid_format'],
    ['a path', ['../../etc/passwd'], 'argument 0: invalid_format'],
    ['a space', ['abc def'], 'argument 0: invalid_format'],
    ['a newline', [`${TOKEN}\n`], 'argument 0: invalid_format'],
    ['NUL', ['abc\u0000'], 'argument 0: invalid_format'],
    ['non-ASCII', ['令牌'], 'argument 0: invalid_format'],
    ['markup', ['<script>'], 'argument 0: invalid_format'],
    ['an extra argument', [TOKEN, 'extra'], 'arguments: too_big'],
  ])('storeToken refuses %s', (_what, args, problem) => {
    expect(parseIpcArguments('storeToken', args)).toEqual({ ok: false, problem });
  });

  it('saveBriefingPdf takes one file name ending in .pdf', () => {
    const name = '交班简报_20270301_1730-20270302_0830.pdf';
    expect(parseIpcArguments('saveBriefingPdf', [name])).toEqual({ ok: true, args: [name] });
    expect(parseIpcArguments('saveBriefingPdf', ['a.PDF']).ok).toBe(true);
    expect(parseIpcArguments('saveBriefingPdf', [`${'简'.repeat(PDF_FILE_NAME_MAX_LENGTH - 4)}.pdf`]).ok).toBe(true);
  });

  it.each([
    ['no argument', [], 'arguments: too_small'],
    ['a number', [42], 'argument 0: invalid_type'],
    ['an object', [{ fileName: 'a.pdf' }], 'argument 0: invalid_type'],
    ['another extension', ['briefing.exe'], 'argument 0: invalid_format'],
    ['no name', ['.pdf'], 'argument 0: too_small; argument 0: invalid_format'],
    ['a hidden name', ['.bashrc.pdf'], 'argument 0: invalid_format'],
    ['a path', ['../../etc/x.pdf'], 'argument 0: invalid_format'],
    ['a Windows path', ['C:\\Users\\x.pdf'], 'argument 0: invalid_format'],
    ['a newline', ['a\nb.pdf'], 'argument 0: invalid_format'],
    ['NUL', ['a\u0000.pdf'], 'argument 0: invalid_format'],
    ['a reserved character', ['a?.pdf'], 'argument 0: invalid_format'],
    ['an oversize name', [`${'a'.repeat(PDF_FILE_NAME_MAX_LENGTH)}.pdf`], 'argument 0: too_big'],
    ['an extra argument', ['a.pdf', 'b.pdf'], 'arguments: too_big'],
  ])('saveBriefingPdf refuses %s', (_what, args, problem) => {
    expect(parseIpcArguments('saveBriefingPdf', args)).toEqual({ ok: false, problem });
  });

  it.each([undefined, null, 'token', { 0: 'token', length: 1 }])('refuses an argument list that is not an array: %j', (args) => {
    expect(parseIpcArguments('storeToken', args).ok).toBe(false);
    expect(parseIpcArguments('getVersion', args).ok).toBe(false);
  });

  it('never echoes the refused value', () => {
    const secret = 'not-a-token but secret ' + TOKEN;
    const result = parseIpcArguments('storeToken', [secret]);
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain(TOKEN);
  });
});
