import { OPEN_STATUSES } from '../../../../shared/contracts/events.js';
import type { DeliberationMeetingView } from '../../../../shared/contracts/deliberation.js';

const OPEN = new Set<string>(OPEN_STATUSES);

/** Text as HTML: every character that could open markup or end an attribute is escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:0 auto;max-width:46rem;padding:1rem;line-height:1.6;color:#1d1d1f}
h1{font-size:1.4rem;margin:.2rem 0}h2{font-size:1.1rem;margin-top:1.4rem;border-bottom:1px solid #ddd}
.meta{color:#555}.notice{white-space:pre-wrap;background:#f6f6f2;padding:.8rem;border-radius:6px}
li{margin:.2rem 0}.decision{white-space:pre-wrap}.state{display:inline-block;min-width:4em;font-weight:600}.open{color:#b35c00}.done{color:#1f7a3a}`;

/**
 * The residents' page of a published deliberation day (`GET /public/deliberation/{id}`): the
 * grid, the day, the agenda's titles, the decisions, the notice and each follow-up task's
 * progress (处理中 / 已办结). Nothing personal: no participants, host, phones, case descriptions
 * or addresses; every text the meeting's recorder typed is escaped.
 */
export function renderPublicPage(m: DeliberationMeetingView): string {
  const e = escapeHtml;
  const [y, mo, d] = m.heldOn.split('-');
  const date = `${y}年${Number(mo)}月${Number(d)}日`;
  const list = (items: string[], cls = '') => (items.length === 0 ? '<p class="meta">无</p>' : `<ol>${items.map((i) => `<li${cls ? ` class="${cls}"` : ''}>${i}</li>`).join('')}</ol>`);
  const tasks = m.tasks.map((t) => {
    const open = OPEN.has(t.status);
    return `<span class="state ${open ? 'open' : 'done'}">${open ? '处理中' : '已办结'}</span> ${e(t.title)}`;
  });
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${e(m.grid.name)}网格议事日公告</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<p class="meta">${e(m.town.name)}</p>
<h1>${e(m.grid.name)}网格议事日公告</h1>
<p class="meta">议事日期：${e(date)}</p>
<h2>公告</h2>
<div class="notice">${e(m.notice ?? '')}</div>
<h2>议题</h2>
${list(m.agenda.map((a) => e(a.title)))}
<h2>议定事项</h2>
${list(m.decisions.map((d2) => e(d2)), 'decision')}
<h2>跟进事项办理情况</h2>
${list(tasks)}
<p class="meta">办理情况随案件进展实时更新。</p>
</main>
</body>
</html>
`;
}

/** The page for an unknown or unpublished meeting: the same for both, so nothing is learnt of unpublished ones. */
export const NOT_PUBLISHED_PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>未找到</title></head>
<body><main><h1>未找到该议事公告</h1><p>该网格议事日公告不存在或尚未公布。</p></main></body></html>
`;
