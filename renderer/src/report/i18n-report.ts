import type { i18n } from 'i18next';
import { createPageI18n } from '../app/page-i18n';

/**
 * The resident page's own texts (zh-CN default, en), apart from the console's and the field
 * app's tables: plain words for someone who has never seen the system, read on a phone.
 */
const zhCN = {
  title: '群众随手报',
  subtitle: '身边的问题，告诉网格。不用登录，不用下载。',
  lang: 'English',
  nav: { report: '我要反映', lookup: '查询进度' },
  loading: '正在加载…',
  loadFailed: '加载失败，请检查网络后重试。',
  retry: '重试',
  form: {
    describe: '1. 发生了什么？',
    describeHint: '写清楚是什么问题、在哪里、多久了。例如：小区门口路灯不亮已经三天。',
    suggestions: '可能是这些事项，点一下即可选择：',
    item: '2. 选择事项类别',
    itemPick: '请选择…',
    itemOutside: '不属于网格受理的事项（将登记并告知您承接单位）',
    itemHelp: '由 {{department}} 负责处理',
    itemReferral: '不属于网格受理，将登记并转交：{{body}}',
    photos: '3. 拍照或选照片（可选，最多 {{max}} 张）',
    addPhoto: '添加照片',
    removePhoto: '删除这张照片',
    uploading: '正在上传…',
    uploadFailed: '这张照片没有上传成功：{{message}}',
    uploadRetry: '点此重试',
    notAPhoto: '“{{name}}”不是能用的照片（请用 JPG、PNG 或 WebP）。',
    where: '4. 在哪里？',
    useGps: '用手机定位',
    locating: '正在定位…',
    pickOnMap: '在地图上点选',
    mapHint: '在地图上点一下问题所在的位置，可以放大、拖动。',
    mapDone: '就选这里',
    mapClose: '关闭地图',
    mapFailed: '地图无法显示（手机不支持），请改用手机定位。',
    chosen: '已选位置：{{place}}',
    chosenFrom: { gps: '（手机定位，误差约 {{m}} 米）', map: '（地图点选）' },
    outside: '这个位置不在本县范围内，请重新选择。',
    gpsProblem: {
      denied: '没有定位权限。请在手机设置或微信中允许定位，或改用地图点选。',
      unavailable: '暂时定不到位置，请到开阔处重试，或改用地图点选。',
      timeout: '定位超时，请重试，或改用地图点选。',
      unsupported: '这个浏览器不能定位，请改用地图点选。',
    },
    contact: '5. 联系方式（可选）',
    contactNote: '只有处理问题的工作人员能看到，不会公开。不填也可以，用查询码查看进度。',
    name: '称呼',
    namePlaceholder: '如：王先生',
    phone: '手机号码',
    phonePlaceholder: '如：13800001234',
    honeypot: '请勿填写此项',
    submit: '提交',
    submitting: '正在提交…',
    draftKept: '您填写的内容已保留在本页，改正后再提交即可。',
    fixFields: '请改正标出的内容：',
    network: '网络不通，未提交成功。您填写的内容已保留，请稍后再点“提交”。',
    refused: '未提交成功：{{message}}',
  },
  errors: {
    description: '请写下发生了什么（至少 4 个字）。',
    item: '请选择事项类别。',
    location: '请用手机定位或在地图上点选位置。',
    phone: '手机号码格式不对，请填 11 位手机号，或不填。',
    name: '称呼最多 64 个字。',
    photos: '还有照片没有上传完，请稍候或删除它。',
    photosAgain: '表单已过期，照片需要重新添加一次。',
    tooLong: '最多 4000 个字。',
  },
  sent: {
    title: '已提交，谢谢您！',
    lead: '请记下查询码，凭它查看处理进度：',
    copy: '复制查询码',
    copied: '已复制',
    copyFailed: '复制失败，请长按查询码手动复制',
    link: '打开进度页（可收藏）',
    keep: '查询码只显示这一次，我们不会再告诉任何人。请截图或收藏进度页。',
    another: '再反映一件事',
  },
  lookup: {
    title: '查询处理进度',
    label: '查询码',
    placeholder: '32 位，区分大小写',
    submit: '查询',
    bad: '查询码是 32 位字母、数字、- 或 _，请核对。',
  },
  status: {
    title: '处理进度',
    item: '事项',
    submitted: '提交时间',
    nowIs: '当前状态：{{step}}',
    steps: '办理过程',
    receivingBody: '承接单位：{{body}}',
    result: '处理结果：{{result}}',
    notFound: '查询码不存在，请核对后再试。',
    refresh: '刷新',
    privacy: '本页只显示办理环节，不显示任何个人信息。',
    step: {
      received: '已受理登记',
      filed: '已立案',
      not_admitted: '不予受理',
      in_progress: '处置中',
      closed: '已办结',
    },
    stepNote: {
      received: '您的反映已登记。',
      filed: '已立案，将派给负责单位处理。',
      not_admitted: '此事项不属于网格受理范围，已登记并告知承接单位。',
      in_progress: '负责单位正在处理。',
      closed: '已处理完毕。',
    },
  },
  footer: '紧急情况请直接拨打 110、119、120。',
};

type Table = typeof zhCN;

const en: Table = {
  title: 'Report a problem',
  subtitle: 'Tell the grid about a problem near you. No login needed.',
  lang: '中文',
  nav: { report: 'Report', lookup: 'Check progress' },
  loading: 'Loading…',
  loadFailed: 'Could not load. Check the network and try again.',
  retry: 'Try again',
  form: {
    describe: '1. What happened?',
    describeHint: 'Say what the problem is, where, and since when. E.g. the street light at the gate has been out for three days.',
    suggestions: 'It may be one of these; tap to choose:',
    item: '2. Choose the kind of matter',
    itemPick: 'Choose…',
    itemOutside: 'Not handled by the grid (recorded; you are told who takes it)',
    itemHelp: 'Handled by {{department}}',
    itemReferral: 'Not handled by the grid; recorded and passed to: {{body}}',
    photos: '3. Photos (optional, up to {{max}})',
    addPhoto: 'Add a photo',
    removePhoto: 'Remove this photo',
    uploading: 'Uploading…',
    uploadFailed: 'This photo was not uploaded: {{message}}',
    uploadRetry: 'Tap to try again',
    notAPhoto: '"{{name}}" is not a photo that can be used (JPG, PNG or WebP).',
    where: '4. Where is it?',
    useGps: 'Use my location',
    locating: 'Locating…',
    pickOnMap: 'Pick on the map',
    mapHint: 'Tap the place on the map. You can zoom and drag.',
    mapDone: 'Use this place',
    mapClose: 'Close the map',
    mapFailed: 'The map cannot be shown on this phone; use your location instead.',
    chosen: 'Place: {{place}}',
    chosenFrom: { gps: ' (phone location, about {{m}} m)', map: ' (picked on the map)' },
    outside: 'This place is outside the county; choose again.',
    gpsProblem: {
      denied: 'No permission to locate. Allow location in the phone or WeChat settings, or pick on the map.',
      unavailable: 'No position yet. Try again in the open, or pick on the map.',
      timeout: 'Locating took too long. Try again, or pick on the map.',
      unsupported: 'This browser cannot locate; pick on the map.',
    },
    contact: '5. Contact (optional)',
    contactNote: 'Only the staff handling the matter see it; it is never made public. You may leave it empty and follow the progress with the tracking code.',
    name: 'Name',
    namePlaceholder: 'e.g. Mr Wang',
    phone: 'Mobile number',
    phonePlaceholder: 'e.g. 13800001234',
    honeypot: 'Leave this empty',
    submit: 'Send',
    submitting: 'Sending…',
    draftKept: 'What you typed is kept on this page; correct it and send again.',
    fixFields: 'Please correct:',
    network: 'No network; nothing was sent. What you typed is kept; tap "Send" again later.',
    refused: 'Not sent: {{message}}',
  },
  errors: {
    description: 'Please write what happened (at least 4 characters).',
    item: 'Please choose the kind of matter.',
    location: 'Please use your location or pick the place on the map.',
    phone: 'The mobile number looks wrong: 11 digits, or leave it empty.',
    name: 'The name may have at most 64 characters.',
    photos: 'A photo is still uploading; wait, or remove it.',
    photosAgain: 'The form expired; please add the photos again.',
    tooLong: 'At most 4,000 characters.',
  },
  sent: {
    title: 'Sent. Thank you!',
    lead: 'Keep this tracking code to follow the progress:',
    copy: 'Copy the code',
    copied: 'Copied',
    copyFailed: 'Could not copy; press and hold the code to copy it',
    link: 'Open the progress page (bookmark it)',
    keep: 'The code is shown only this once and given to nobody else. Take a screenshot or bookmark the progress page.',
    another: 'Report another matter',
  },
  lookup: {
    title: 'Check progress',
    label: 'Tracking code',
    placeholder: '32 characters, case-sensitive',
    submit: 'Check',
    bad: 'A tracking code is 32 letters, digits, - or _; please check it.',
  },
  status: {
    title: 'Progress',
    item: 'Matter',
    submitted: 'Sent',
    nowIs: 'Now: {{step}}',
    steps: 'Steps',
    receivingBody: 'Taken by: {{body}}',
    result: 'Result: {{result}}',
    notFound: 'No report has this tracking code; check it and try again.',
    refresh: 'Refresh',
    privacy: 'This page shows the steps only, never anyone\'s personal data.',
    step: {
      received: 'Received',
      filed: 'Filed',
      not_admitted: 'Not admitted',
      in_progress: 'In progress',
      closed: 'Closed',
    },
    stepNote: {
      received: 'Your report is recorded.',
      filed: 'Filed as a case; it goes to the responsible body.',
      not_admitted: 'The grid does not handle this kind of matter; it is recorded and the receiving body is told.',
      in_progress: 'The responsible body is working on it.',
      closed: 'Done.',
    },
  },
  footer: 'In an emergency call 110, 119 or 120.',
};

export const reportTables = { 'zh-CN': zhCN, en };
export type ReportLang = keyof typeof reportTables;

const LANG_KEY = 'gridcommand.report.lang';

/** The language chosen on this phone before, else zh-CN (the page is for the county's residents). */
export function storedLang(storage: Pick<Storage, 'getItem'> | null): ReportLang {
  try {
    return storage?.getItem(LANG_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

export function rememberLang(storage: Pick<Storage, 'setItem'> | null, lang: ReportLang): void {
  try {
    storage?.setItem(LANG_KEY, lang);
  } catch {
    // private mode: the switch still works for this visit
  }
}

export function createReportI18n(lng: ReportLang): i18n {
  return createPageI18n({ 'zh-CN': zhCN, en }, lng);
}
