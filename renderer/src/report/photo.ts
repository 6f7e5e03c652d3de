/** Photos are scaled to this many pixels on the long side before upload: enough to see the problem, small on a slow link. */
export const UPLOAD_MAX_PX = 1600;
/** The preview kept in the draft (sessionStorage): a few kilobytes each. */
const PREVIEW_MAX_PX = 160;
const ACCEPTED = ['image/jpeg', 'image/png', 'image/webp'];

function loadImage(file: Blob): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const url = URL.createObjectURL(file);
    const img = new Image();
    img.onload = () => {
      URL.revokeObjectURL(url);
      resolve(img);
    };
    img.onerror = () => {
      URL.revokeObjectURL(url);
      reject(new Error('not an image this browser can read'));
    };
    img.src = url;
  });
}

function draw(img: HTMLImageElement, maxPx: number): HTMLCanvasElement {
  const k = Math.min(1, maxPx / Math.max(img.naturalWidth, img.naturalHeight));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(img.naturalWidth * k));
  canvas.height = Math.max(1, Math.round(img.naturalHeight * k));
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no canvas');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  return canvas;
}

const toBlob = (canvas: HTMLCanvasElement, quality: number) =>
  new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('could not encode'))), 'image/jpeg', quality));

/**
 * A phone photo made fit to send over a slow mobile link: scaled to UPLOAD_MAX_PX and
 * re-encoded as JPEG (browsers apply the EXIF orientation when drawing; the location and
 * camera data are left behind, which a resident's photo does not need to carry). A file the
 * browser cannot decode goes as it is, if it is of a type the server takes.
 */
export async function preparePhoto(file: File): Promise<{ blob: Blob; name: string; preview: string }> {
  const base = file.name.replace(/\.[^.]*$/, '') || 'photo';
  try {
    const img = await loadImage(file);
    const blob = await toBlob(draw(img, UPLOAD_MAX_PX), 0.82);
    const preview = draw(img, PREVIEW_MAX_PX).toDataURL('image/jpeg', 0.6);
    return { blob, name: `${base}.jpg`, preview };
  } catch {
    if (!ACCEPTED.includes(file.type)) throw new Error('unsupported');
    return { blob: file, name: file.name, preview: '' };
  }
}
