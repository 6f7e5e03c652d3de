import { describe, expect, it } from 'vitest';
import { cleanFileName, contentDisposition, sanitiseFileName } from './file-name.js';

describe('sanitiseFileName', () => {
  it('keeps a plain name, decoding URI-encoded UTF-8', () => {
    expect(sanitiseFileName(encodeURIComponent('处置后 照片.jpg'), 'image/jpeg')).toBe('处置后 照片.jpg');
    expect(sanitiseFileName('IMG_0001.JPEG', 'image/jpeg')).toBe('IMG_0001.JPEG');
    expect(sanitiseFileName('shot.webp', 'image/webp')).toBe('shot.webp');
  });

  it('keeps only the last path segment: no traversal reaches a name', () => {
    expect(sanitiseFileName('../../etc/passwd', 'image/jpeg')).toBe('passwd.jpg');
    expect(sanitiseFileName(encodeURIComponent('..\\..\\windows\\win.ini'), 'image/png')).toBe('win.ini.png');
    expect(sanitiseFileName('%2e%2e%2f%2e%2e%2fsecret.png', 'image/png')).toBe('secret.png');
    expect(sanitiseFileName('..', 'image/png')).toBe('photo.png');
    expect(sanitiseFileName('/', 'image/png')).toBe('photo.png');
  });

  it('drops control and bidi-override characters and the characters Windows forbids', () => {
    // U+202E (right-to-left override) would show "gpj.exe" as "exe.jpg"
    expect(sanitiseFileName(encodeURIComponent('photo\u202Egpj.exe'), 'image/jpeg')).toBe('photogpj.exe.jpg');
    expect(sanitiseFileName(encodeURIComponent('a\r\nb\u0000c.png'), 'image/png')).toBe('abc.png');
    expect(sanitiseFileName('a<b>c:d"e|f?g*h.png', 'image/png')).toBe('a_b_c_d_e_f_g_h.png');
    expect(sanitiseFileName('...hidden.png', 'image/png')).toBe('hidden.png');
  });

  it('gives the type its extension when the name has another', () => {
    expect(sanitiseFileName('evil.html', 'image/jpeg')).toBe('evil.html.jpg');
    expect(sanitiseFileName('photo.png', 'image/jpeg')).toBe('photo.png.jpg');
    expect(sanitiseFileName('noext', 'image/webp')).toBe('noext.webp');
  });

  it('falls back to a default name, and survives bad encodings', () => {
    expect(sanitiseFileName(undefined, 'image/jpeg')).toBe('photo.jpg');
    expect(sanitiseFileName('   ', 'image/jpeg')).toBe('photo.jpg');
    // a broken escape sequence loses its own bytes only; a lone % stays
    expect(sanitiseFileName('%E0%A4%A.png', 'image/png')).toBe('%A.png');
    expect(sanitiseFileName('100%.png', 'image/png')).toBe('100%.png');
    expect(sanitiseFileName(`${encodeURIComponent('现场照片')}%E7%85`, 'image/jpeg')).toBe('现场照片.jpg');
    expect(sanitiseFileName('%FF%FEabc.jpg', 'image/jpeg')).toBe('abc.jpg');
  });

  it('keeps Windows device names from being the name', () => {
    expect(sanitiseFileName('CON.jpg', 'image/jpeg')).toBe('_CON.jpg');
    expect(sanitiseFileName('nul', 'image/png')).toBe('_nul.png');
    expect(sanitiseFileName('lpt1.tar.jpg', 'image/jpeg')).toBe('_lpt1.tar.jpg');
    expect(sanitiseFileName('console.jpg', 'image/jpeg')).toBe('console.jpg');
  });

  it('caps the length at 100 characters, keeping the extension', () => {
    const long = sanitiseFileName(encodeURIComponent('长'.repeat(300) + '.jpg'), 'image/jpeg');
    expect(Array.from(long)).toHaveLength(100);
    expect(long.endsWith('.jpg')).toBe(true);
  });
});

describe('cleanFileName', () => {
  it('changes nothing on a name it cleaned (stored names are cleaned again when read)', () => {
    for (const raw of ['a%41.jpg', '..\\x\u202E.exe', 'CON', ' .x. ', '长'.repeat(300), 'a.JPEG', '%2e%2e%2fx.png', 'x'.repeat(99) + '.jpg']) {
      const once = cleanFileName(raw, 'image/jpeg');
      expect(cleanFileName(once, 'image/jpeg'), raw).toBe(once);
    }
    // percent signs in a stored name are text, not escapes
    expect(cleanFileName('a%41.jpg', 'image/jpeg')).toBe('a%41.jpg');
  });
});

describe('contentDisposition', () => {
  it('sends an ASCII fallback and the UTF-8 name (RFC 5987)', () => {
    expect(contentDisposition('处置后.jpg')).toBe(`inline; filename="___.jpg"; filename*=UTF-8''%E5%A4%84%E7%BD%AE%E5%90%8E.jpg`);
    expect(contentDisposition("it's (1).png")).toBe(`inline; filename="it_s__1_.png"; filename*=UTF-8''it%27s%20%281%29.png`);
  });
});
