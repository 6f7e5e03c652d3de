import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ATTACHMENT_ID, ATTACHMENT_TYPE_LIST, FILENAME_HEADER, type AttachmentRecord, type AttachmentType } from '../../../../shared/contracts/attachments.js';
import { ApiHttpError, parseOr400 } from '../../http/errors.js';
import { jsonSchema } from '../../http/openapi.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { requestContext, uploadAccess } from '../auth/auth.plugin.js';
import { acceptRawFiles, refuseDeclaredOverLimit } from '../../http/request-body.js';
import type { DenialLog } from '../auth/denial-log.js';
import { who, type AuthService } from '../auth/auth.service.js';
import type { AttachmentStore } from './attachment-store.js';
import type { AttachmentsService } from './attachments.service.js';
import { contentDisposition } from './file-name.js';

const idParams = z.object({ id: z.string().regex(ATTACHMENT_ID) }).strict();

/** The media type of a Content-Type header, without parameters, lower case. */
const mediaType = (header: string | undefined) => (header ?? '').split(';')[0]!.trim().toLowerCase();

const unsupported = () =>
  new ApiHttpError(415, 'unsupported_media_type', 'error.attachment_type', [], { allowed: ATTACHMENT_TYPE_LIST.join(', ') }, { allowed: ATTACHMENT_TYPE_LIST });

export interface AttachmentRoutesDeps {
  service: AttachmentsService;
  store: AttachmentStore;
  auth: AuthService;
  audit: AuditRepo;
  denials: DenialLog;
  /** Largest upload, bytes. */
  maxBytes: number;
}

/**
 * `POST /api/v1/attachments` (raw image body) and `GET /api/v1/attachments/{id}[/thumb]`.
 * Registered in their own plugin context: only here are image bodies parsed (as a Buffer, with
 * their own size limit); every other route keeps refusing them with 415.
 */
export function registerAttachmentRoutes(app: FastifyInstance, deps: AttachmentRoutesDeps): void {
  void app.register(async (scope) => {
    // Anything but the image types (JSON, forms, text, other images) is refused before its body is read.
    acceptRawFiles(scope, ATTACHMENT_TYPE_LIST, deps.maxBytes, unsupported);

    /**
     * Before the body is read: an unauthenticated or unauthorised caller, or a declared size
     * over the limit, is refused at once, so nobody can make the server buffer megabytes it will
     * throw away.
     */
    const early = async (req: FastifyRequest, reply: FastifyReply) => {
      uploadAccess(req, reply, deps, 'events:create');
      refuseDeclaredOverLimit(req, reply, deps.maxBytes, 'error.attachment_too_large');
    };

    scope.post(
      '/api/v1/attachments',
      {
        // Every role that handles cases (case:handle) may also report (events:create).
        config: { access: { permission: 'events:create' } },
        bodyLimit: deps.maxBytes,
        onRequest: early,
        schema: {
          tags: ['attachments'],
          summary: 'Upload a photo (raw body: image/jpeg, image/png or image/webp)',
          description:
            `The body is the image itself; the file name, for display only, goes in \`${FILENAME_HEADER}\` (URI-encoded UTF-8) and is sanitised. ` +
            `At most ${deps.maxBytes} bytes (413 \`payload_too_large\`); another Content-Type → 415. The bytes must be a complete image of the declared type ` +
            '(file signature, then decoded) or 400 `invalid_image` with `reason`. The original is stored as uploaded (with its EXIF/GPS, as evidence); the thumbnail ' +
            '(JPEG, at most 480 px) carries no metadata. 201 with the stored attachment; 200 with the earlier one when the same user uploads the same bytes again. ' +
            'Reference it in an action as `attachments: [{ id, name }]`.',
          consumes: ATTACHMENT_TYPE_LIST,
          body: { type: 'string', format: 'binary' },
          headers: { type: 'object', properties: { [FILENAME_HEADER.toLowerCase()]: { type: 'string', maxLength: 1024 } } },
        },
      },
      async (req, reply): Promise<AttachmentRecord> => {
        const type = mediaType(req.headers['content-type']);
        if (!Buffer.isBuffer(req.body) || !(ATTACHMENT_TYPE_LIST as string[]).includes(type)) throw unsupported();
        if (req.body.length === 0) {
          throw new ApiHttpError(400, 'invalid_image', 'error.invalid_image', [{ field: '(body)', code: 'required' }], { type, reason: 'empty' }, { reason: 'empty' });
        }
        const header = req.headers[FILENAME_HEADER.toLowerCase()];
        const fileName = typeof header === 'string' ? header.slice(0, 1024) : undefined;
        const { record, created } = await deps.service.upload(req.body, type as AttachmentType, fileName, { principal: req.principal!, ctx: requestContext(req) });
        return reply.status(created ? 201 : 200).header('Location', record.url).send(record);
      },
    );

    const serve = (variant: 'original' | 'thumb') => async (req: FastifyRequest, reply: FastifyReply) => {
      const { id } = parseOr400(idParams, req.params, 'params');
      const principal = req.principal!;
      const attachment = await deps.service.readable(id, principal);
      if (!attachment) {
        await deps.audit.record({ ...who(principal), ...requestContext(req), action: 'access:denied', result: 'denied', reason: 'attachment_not_readable', objectType: 'attachment', objectId: id });
        throw new ApiHttpError(404, 'not_found', 'error.not_found', [], { what: id });
      }
      const sha = variant === 'original' ? attachment.sha256 : attachment.thumbSha256;
      const file = await deps.store.read(sha);
      if (!file) {
        req.log.error({ attachment: id, sha256: sha }, 'attachment file missing from the data folder');
        throw new ApiHttpError(404, 'not_found', 'error.not_found', [], { what: id });
      }
      const name = variant === 'original' ? attachment.name : `${attachment.name.replace(/\.[^.]+$/, '')}.thumb.jpg`;
      return reply
        .type(variant === 'original' ? attachment.type : 'image/jpeg')
        .header('Content-Length', file.size)
        .header('Content-Disposition', contentDisposition(name))
        .header('X-Content-Type-Options', 'nosniff')
        .header('Cache-Control', 'private, max-age=86400')
        .header('Cross-Origin-Resource-Policy', 'same-origin')
        .header('ETag', `"${sha}"`)
        .send(file.stream);
    };

    const readDoc = (what: string) => ({
      tags: ['attachments'],
      summary: what,
      description:
        'Only for the uploader, or for users who may read (events:read and scope) a case whose own entries show the attachment (a case merged into it does not count: ' +
        'its readers see the master\'s photos only when their scope covers the master\'s town); anyone else gets 404 (audited). ' +
        'Send the bearer token (fetch it and show it as a blob URL).',
      params: jsonSchema(idParams),
    });
    scope.get('/api/v1/attachments/:id', { config: { access: { permission: 'events:read' } }, schema: readDoc('A photo as uploaded (with its metadata: evidence)') }, serve('original'));
    scope.get('/api/v1/attachments/:id/thumb', { config: { access: { permission: 'events:read' } }, schema: readDoc('A photo\'s thumbnail (JPEG, at most 480 px, no metadata)') }, serve('thumb'));
  });
}
