import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { vocabulary } from '../i18n/vocabulary';

const zhWords = vocabulary('zh-CN');
const enWords = vocabulary('en');

/**
 * The field app's own texts (zh-CN default, en), apart from the console's tables. Short words:
 * they are read on a phone in the sun, often with gloves on. The words for states, urgencies
 * and the task buttons are the shared vocabulary's (shared/domain/labels.ts), the same as the
 * console's and the server's.
 */
const zhCN = {
  appTitle: '网格员',
  login: {
    title: '网格员登录',
    username: '用户名',
    password: '口令',
    submit: '登录',
    busy: '正在登录…',
    failed: '登录失败：{{message}}',
    network: '连不上服务器，请检查网络后重试。',
    notField: '此账号不是处置力量成员，请使用指挥台。',
    demo: '演示账号：demo-field',
  },
  header: {
    team: '所属队伍',
    noTeam: '未加入处置队伍',
    logout: '退出',
  },
  teamStatus: zhWords.teamStatus,
  link: { connecting: '连接中', connected: '已连接', reconnecting: '重连中', offline: '离线', ended: '已断开' },
  asOf: '数据截至 {{time}}',
  stale: '数据已中断，显示的可能不是最新情况',
  newTask: { banner: '新任务：{{item}}', open: '查看', dismiss: '知道了' },
  home: {
    tasks: '我的任务',
    noTasks: '暂无任务',
    verify: '核查任务',
    noVerify: '暂无待核查',
    report: '上报事件',
    loading: '正在加载…',
    loadFailed: '加载失败：{{message}}',
    retry: '重试',
  },
  outbox: {
    pending: '{{count}} 项待发送',
    pendingOne: '待发送',
    failed: '发送失败',
    sending: '网络恢复后自动发送',
    discard: '放弃',
    title: '待发送',
    retryNow: '立即重试',
    reason: '原因：{{message}}',
  },
  urgency: zhWords.urgency,
  status: zhWords.status,
  countdown: {
    left: '剩余 {{time}}',
    overdue: '已超期 {{time}}',
    none: '无时限',
    d: '{{n}}天',
    h: '{{n}}小时',
    m: '{{n}}分钟',
  },
  task: {
    back: '‹ 返回',
    address: '地址',
    coords: '坐标（WGS84）',
    description: '情况描述',
    deadline: '处置时限',
    reporter: '上报人',
    step: zhWords.fieldButton,
    hint: {
      accept: '确认接收这项任务',
      depart: '告诉指挥中心：正在前往',
      start: '已到达现场，开始处置',
      report: '拍照并填写处置结果',
      verify: '到现场看过，处置合格',
    },
    done: '已反馈，等待核查',
    notYours: '此事件已不在本队',
    queued: '已记录，待发送',
  },
  report: {
    title: zhWords.actions.report,
    result: '处置结果',
    resultPlaceholder: '例如：已拆除飞线，告知住户',
    photos: '现场照片',
    addPhoto: '拍照',
    removePhoto: '删除照片',
    submit: '提交反馈',
    needResult: '请填写处置结果',
  },
  reason: {
    returnTitle: '回退任务',
    reworkTitle: '核查不通过',
    verifyTitle: zhWords.actions.verify,
    reason: '原因',
    note: '说明（可不填）',
    needReason: '请填写原因',
    submit: '确认',
  },
  newEvent: {
    title: '上报事件',
    search: '搜索事项',
    all: '全部',
    pickItem: '选择事项',
    change: '更换',
    description: '情况描述',
    descriptionPlaceholder: '说清楚在哪里、什么情况',
    urgency: '紧急程度',
    location: '位置',
    usePhone: '用手机定位',
    useTeam: '用队伍位置',
    locating: '正在定位…',
    noFix: '没有定位，请用队伍位置',
    phone: '联系电话',
    badPhone: '请填写正确的手机或座机号码',
    photo: '现场照片',
    selfHandle: '自行处置（现场已处理完毕，直接结案）',
    selfHandleShort: '可自行处置',
    result: '处置结果',
    submit: '提交上报',
    needDescription: '请填写情况描述',
    needResult: '请填写处置结果',
    sent: zhWords.status.reported,
    catalogFailed: '事项清单加载失败',
  },
  position: { none: '未定位', accuracy: '精度约 {{m}} 米' },
} as const;

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

const en: Shape<typeof zhCN> = {
  appTitle: 'Field',
  login: {
    title: 'Field worker sign-in',
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
    busy: 'Signing in…',
    failed: 'Sign-in failed: {{message}}',
    network: 'Cannot reach the server. Check the network and try again.',
    notField: 'This account is not a field team member. Use the console.',
    demo: 'Demo account: demo-field',
  },
  header: { team: 'Team', noTeam: 'Not in a field team', logout: 'Sign out' },
  teamStatus: enWords.teamStatus,
  link: { connecting: 'Connecting', connected: 'Connected', reconnecting: 'Reconnecting', offline: 'Offline', ended: 'Disconnected' },
  asOf: 'Data as of {{time}}',
  stale: 'Feed interrupted: this may not be up to date',
  newTask: { banner: 'New task: {{item}}', open: 'Open', dismiss: 'OK' },
  home: {
    tasks: 'My tasks',
    noTasks: 'No tasks',
    verify: 'To verify',
    noVerify: 'Nothing to verify',
    report: 'Report an event',
    loading: 'Loading…',
    loadFailed: 'Could not load: {{message}}',
    retry: 'Retry',
  },
  outbox: {
    pending: '{{count}} waiting to send',
    pendingOne: 'Waiting to send',
    failed: 'Not sent',
    sending: 'Sent automatically when back online',
    discard: 'Discard',
    title: 'Waiting to send',
    retryNow: 'Retry now',
    reason: 'Reason: {{message}}',
  },
  urgency: enWords.urgency,
  status: enWords.status,
  countdown: { left: '{{time}} left', overdue: 'Overdue {{time}}', none: 'No deadline', d: '{{n}} d', h: '{{n}} h', m: '{{n}} min' },
  task: {
    back: '‹ Back',
    address: 'Address',
    coords: 'Coordinates (WGS84)',
    description: 'Description',
    deadline: 'Deadline',
    reporter: 'Reporter',
    step: enWords.fieldButton,
    hint: {
      accept: 'Take this task',
      depart: 'Tell the centre you are on the way',
      start: 'At the scene, start work',
      report: 'Take photos and write the result',
      verify: 'Checked on site: done properly',
    },
    done: 'Reported back, awaiting verification',
    notYours: 'No longer your team’s case',
    queued: 'Recorded, waiting to send',
  },
  report: {
    title: enWords.actions.report,
    result: 'Result',
    resultPlaceholder: 'e.g. removed the cable, told the residents',
    photos: 'Photos',
    addPhoto: 'Take photo',
    removePhoto: 'Remove photo',
    submit: 'Send report',
    needResult: 'Write the result',
  },
  reason: {
    returnTitle: 'Return task',
    reworkTitle: 'Not OK',
    verifyTitle: enWords.actions.verify,
    reason: 'Reason',
    note: 'Note (optional)',
    needReason: 'Give a reason',
    submit: 'Confirm',
  },
  newEvent: {
    title: 'Report an event',
    search: 'Search items',
    all: 'All',
    pickItem: 'Choose the item',
    change: 'Change',
    description: 'Description',
    descriptionPlaceholder: 'Where and what',
    urgency: 'Urgency',
    location: 'Location',
    usePhone: 'Phone location',
    useTeam: 'Team position',
    locating: 'Locating…',
    noFix: 'No fix: use the team position',
    phone: 'Contact phone',
    badPhone: 'Enter a valid phone number',
    photo: 'Photo',
    selfHandle: 'Handled on the spot (close now)',
    selfHandleShort: 'can be handled on the spot',
    result: 'Result',
    submit: 'Send report',
    needDescription: 'Write a description',
    needResult: 'Write the result',
    sent: enWords.status.reported,
    catalogFailed: 'Could not load the item list',
  },
  position: { none: 'No position', accuracy: '± {{m}} m' },
};

export const FIELD_LANGUAGES = ['zh-CN', 'en'] as const;
export type FieldLanguage = (typeof FIELD_LANGUAGES)[number];
const STORAGE_KEY = 'gridcommand.field.language';

export function storedFieldLanguage(): FieldLanguage {
  try {
    return window.localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

export function rememberFieldLanguage(lng: FieldLanguage): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, lng);
  } catch {
    // this session only
  }
}

/** A separate i18next instance: the console's global one keeps its own tables. */
export function createFieldI18n(lng: FieldLanguage = storedFieldLanguage()): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
    lng,
    fallbackLng: 'zh-CN',
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
  });
  document.documentElement.lang = lng;
  return instance;
}

export const fieldTables = { 'zh-CN': zhCN, en };
