import { useQuery } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Attachment } from '../../../../shared/contracts/workflow.js';
import type { ApiClient } from '../../app/api-client';
import { useServices } from '../../app/services';
import { Dialog } from '../case-actions/dialogs/Dialog';

/** A stored photo (full size or thumbnail), read with the session's token. */
const imageQuery = (api: ApiClient, id: string, size: 'thumb' | 'full') => ({
  queryKey: ['attachment', id, size] as const,
  queryFn: ({ signal }: { signal: AbortSignal }) => api.getBlob(`/attachments/${encodeURIComponent(id)}${size === 'thumb' ? '/thumb' : ''}`, { signal }),
  // Attachments are content-addressed and never change.
  staleTime: Number.POSITIVE_INFINITY,
  gcTime: 5 * 60_000,
});

/** An image from a blob, through an object URL that lives exactly as long as the element shows that blob. */
function BlobImage({ blob, alt, testId }: { blob: Blob; alt: string; testId?: string }) {
  const attach = useCallback(
    (img: HTMLImageElement | null) => {
      if (!img) return;
      const url = URL.createObjectURL(blob);
      img.src = url;
      return () => URL.revokeObjectURL(url);
    },
    [blob],
  );
  return <img ref={attach} alt={alt} data-testid={testId} />;
}

function Thumb({ attachment, onOpen }: { attachment: Attachment; onOpen(): void }) {
  const { t } = useTranslation();
  const { api } = useServices();
  const image = useQuery(imageQuery(api, attachment.id, 'thumb'));
  return (
    <li className="tl-thumb" data-attachment-id={attachment.id}>
      <button type="button" className="tl-thumb-button" onClick={onOpen} title={t('attachments.open', { name: attachment.name })}>
        {image.data ? (
          <BlobImage blob={image.data} alt={attachment.name} testId="attachment-thumb" />
        ) : (
          <span className="tl-thumb-placeholder" data-state={image.isError ? 'error' : 'loading'}>
            {image.isError ? t('attachments.unavailable') : t('attachments.loading')}
          </span>
        )}
      </button>
    </li>
  );
}

/** The full photo in a dialog (Esc or the button closes it). */
function Viewer({ attachment, onClose }: { attachment: Attachment; onClose(): void }) {
  const { t } = useTranslation();
  const { api } = useServices();
  const image = useQuery(imageQuery(api, attachment.id, 'full'));
  return (
    <Dialog title={attachment.name} subtitle={t('attachments.viewer')} onClose={onClose} size="wide" testId="attachment-viewer">
      <div className="dialog-body attachment-viewer">
        {image.data && <BlobImage blob={image.data} alt={attachment.name} />}
        {image.isPending && <p className="dialog-hint">{t('attachments.loading')}</p>}
        {image.isError && (
          <p className="dialog-problem" role="alert">
            {t('attachments.failed', { message: image.error.message })}
          </p>
        )}
      </div>
    </Dialog>
  );
}

/** A timeline entry's photos as thumbnails; a click shows the photo full size. */
export function AttachmentThumbs({ attachments }: { attachments: readonly Attachment[] }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<Attachment | null>(null);
  return (
    <>
      <ul className="tl-thumbs" aria-label={t('timeline.attachments', { count: attachments.length })}>
        {attachments.map((a) => (
          <Thumb key={a.id} attachment={a} onOpen={() => setOpen(a)} />
        ))}
      </ul>
      {open && <Viewer attachment={open} onClose={() => setOpen(null)} />}
    </>
  );
}
