/**
 * Server-side messages in both UI languages. Error codes are stable for programs;
 * messages are for people, in the language the request asked for.
 */
export type Lang = 'zh-CN' | 'en';

const MESSAGES = {
  'error.invalid_body': { 'zh-CN': '请求内容有误，请检查标出的字段。', en: 'The request body is invalid; see the fields listed.' },
  'error.invalid_query': { 'zh-CN': '查询参数有误，请检查标出的参数。', en: 'The query parameters are invalid; see the fields listed.' },
  'error.invalid_params': { 'zh-CN': '路径参数有误。', en: 'The path parameters are invalid.' },
  'error.invalid_json': { 'zh-CN': '请求内容不是有效的 JSON。', en: 'The request body is not valid JSON.' },
  'error.outside_county': {
    'zh-CN': '位置（经度 {lon}，纬度 {lat}）不在本县范围内，无法落到网格。请核对坐标（需为 WGS84）。',
    en: 'The location (lon {lon}, lat {lat}) is outside the county, so no grid can take it. Check the coordinates (WGS84 expected).',
  },
  'error.unknown_address': { 'zh-CN': '统一地址编码 {addressCode} 不存在。', en: 'Unified address code {addressCode} does not exist.' },
  // 市级交办 (modules/assignments)
  'error.outside_named_county': {
    'zh-CN': '位置（经度 {lon}，纬度 {lat}）不在{county}范围内：交办的事件须落在所交办的县（市、区）。',
    en: 'The location (lon {lon}, lat {lat}) is outside {county}: an assigned case must lie in the county it is assigned to.',
  },
  'error.unknown_county': { 'zh-CN': '{countyId} 不是本平台的县（市、区）。', en: '{countyId} is not a county of this platform.' },
  'error.not_city_scope': {
    'zh-CN': '市级交办须由管辖该市的用户发起；您的管辖范围不含{county}所在的市。',
    en: 'Only a user whose scope holds the city may assign a case down; yours does not hold the city of {county}.',
  },
  // the assessment (德能勤绩, modules/assessment)
  'error.assessment_not_found': { 'zh-CN': '没有考核期 {id}。', en: 'There is no assessment period {id}.' },
  'error.assessment_county_only': { 'zh-CN': '考核期由县网格办（全县范围的账号）开设和结束。', en: "Assessment periods are opened and closed by the county's grid office (an account whose scope is the county)." },
  'error.assessment_overlap': { 'zh-CN': '与考核期 {other} 重叠：考核期不能重叠。', en: 'It overlaps assessment period {other}: periods may not overlap.' },
  'error.assessment_closed': { 'zh-CN': '考核期 {id} 已结束，结果已定，不能再改。', en: 'Assessment period {id} is closed: its results are final.' },
  'error.assessment_not_over': { 'zh-CN': '考核期 {id} 到 {endsOn} 才结束，结束后才能定结果。', en: 'Assessment period {id} runs until {endsOn}: it can be closed only after that.' },
  'error.assessment_not_closed': { 'zh-CN': '考核期 {id} 尚未结束：结果定下后才能提名奖励或退出审查。', en: 'Assessment period {id} is still open: propose for the lists once its results are final.' },
  'error.assessment_already_proposed': { 'zh-CN': '该网格员已在此名单中提名。', en: 'This worker is already proposed for this list.' },
  'error.assessment_no_proposal': { 'zh-CN': '网格员 {workerId} 没有这项提名。', en: 'Worker {workerId} has no such proposal.' },
  'error.assessment_second_person': { 'zh-CN': '提名须由另一人审定：不能审定自己的提名。', en: 'A proposal is decided by a second person: you may not decide your own.' },
  'error.assessment_decided': { 'zh-CN': '网格员 {workerId} 的这项提名已审定。', en: "This proposal for worker {workerId} has already been decided." },
  'error.no_city_level': {
    'zh-CN': '本服务器只承载一个县（市、区），没有市级平台，不能市级交办。',
    en: 'This server holds one county and no city above it: there is nothing to assign down from.',
  },
  'error.not_forward_scope': {
    'zh-CN': '县级平台上传案件须使用范围恰为本平台一个县（市、区）的接口密钥。',
    en: 'Forwarding cases needs an API key whose scope is exactly one county of this platform.',
  },
  'error.forward_gap': {
    'zh-CN': '上传的变更须紧接在已接收的第 {lastSeq} 号之后；请从该序号之后续传。',
    en: 'The changes must continue right after change {lastSeq}, the last one received; resume from there.',
  },
  'error.forwarded_case': {
    'zh-CN': '此案件由县级平台办理（{county}，县级编号 {countyEventId}），请在县级平台上操作。',
    en: "This case is handled on the county's server ({county}, county number {countyEventId}); act on it there.",
  },
  'error.training_invalid': { 'zh-CN': '培训记录有误，未保存，请检查标出的字段。', en: 'The training record was not saved; see the fields listed.' },
  'error.unknown_item': { 'zh-CN': '事项 {itemCode} 不在入格事项清单内。', en: 'Item {itemCode} is not in the admitted-item catalog.' },
  'error.not_found': { 'zh-CN': '未找到：{what}', en: 'Not found: {what}' },
  'error.route_not_found': { 'zh-CN': '没有这个接口：{method} {url}', en: 'No such endpoint: {method} {url}' },
  'error.idempotency_conflict': {
    'zh-CN': '幂等键 {key} 已用于另一份不同的请求内容。',
    en: 'Idempotency key {key} was already used with a different request body.',
  },
  'error.bad_idempotency_key': {
    'zh-CN': 'Idempotency-Key 须为 1–128 个可见字符。',
    en: 'Idempotency-Key must be 1–128 visible characters.',
  },
  'error.payload_too_large': { 'zh-CN': '请求内容过大（上限 {limit} 字节）。', en: 'The request body is too large (limit {limit} bytes).' },
  'error.unsupported_media_type': { 'zh-CN': '请求内容须为 application/json。', en: 'The request body must be application/json.' },
  'error.unauthenticated': { 'zh-CN': '请先登录（会话不存在、已注销或已超时）。', en: 'Please log in (no session, or it was ended or timed out).' },
  'error.forbidden': { 'zh-CN': '当前角色无权执行此操作（需要权限 {permission}）。', en: 'Your role may not do this (needs {permission}).' },
  'error.out_of_scope': { 'zh-CN': '该事件不在您的管辖范围（{what}）内。', en: 'This is outside your area of responsibility ({what}).' },
  // One answer for an unknown user, a wrong password, a locked or a disabled account: a caller
  // who has not shown the right password learns nothing about which accounts exist.
  'error.invalid_credentials': { 'zh-CN': '用户名或密码错误。', en: 'Wrong username or password.' },
  'error.totp_invalid': { 'zh-CN': '动态口令不正确或已过期。', en: 'The one-time code is wrong or has expired.' },
  // administration (auth.service.ts, users.routes.ts): 三权分立 and least privilege
  'error.role_conflict.multiple_admin_roles': {
    'zh-CN': '三权分立：系统管理员、安全管理员、审计管理员三个角色不能由同一账号兼任。',
    en: 'Separation of administrators: one account may hold only one of system, security and audit administrator.',
  },
  'error.role_conflict.admin_with_operational_role': {
    'zh-CN': '三权分立：管理员角色不能与业务角色（调度、值班、网格员等）兼任。',
    en: 'Separation of administrators: an administrator role cannot be combined with an operational role.',
  },
  'error.role_conflict.device_role_not_alone': {
    'zh-CN': '大屏、接口账号是设备或程序，只能有这一个角色。',
    en: 'A wall display or integration account is a device or program and holds that one role only.',
  },
  'error.role_conflict.duplicate_role': { 'zh-CN': '角色重复。', en: 'A role is listed twice.' },
  'error.account_role_conflict': {
    'zh-CN': '该账号的角色组合违反三权分立规定，暂停使用；请系统负责人在服务器上用 npm run admin -- set-roles 修正。',
    en: "This account's roles break the separation of administrators, so it is suspended; have it fixed on the server with npm run admin -- set-roles.",
  },
  'error.admin_role_host_only': {
    'zh-CN': '三权分立：管理员账号（系统、安全、审计管理员）只能在服务器上用 npm run admin 创建或修改。',
    en: 'Separation of administrators: administrator accounts (system, security, audit) are created and changed only on the server with npm run admin.',
  },
  'error.builtin_account': { 'zh-CN': '这是系统内置账号（群众自助上报），只在服务器内部使用，不能启用、改角色、绑定动态口令或签发密钥。', en: 'This is a built-in account (residents’ own reports), used inside the server only: it cannot be enabled, re-roled, enrolled or given a key.' },
  'error.own_account': { 'zh-CN': '不能修改自己账号的角色、范围或状态，须由其他安全管理员办理。', en: 'You cannot change the roles, scope or state of your own account; another security administrator must.' },
  'error.team_required': { 'zh-CN': '网格员（处置人员）账号必须属于一支处置力量（teamId）。', en: 'A field-worker account must belong to a team (teamId).' },
  'error.apikey_not_integration': { 'zh-CN': '{username} 不是接口账号，不能签发 API key。', en: '{username} is not an integration account; API keys are only for those.' },
  'error.username_taken': { 'zh-CN': '用户名 {username} 已被占用。', en: 'The username {username} is already taken.' },
  'error.account_locked': {
    'zh-CN': '连续登录失败次数过多，账号已锁定至 {until}（UTC），请稍后再试或联系安全管理员。',
    en: 'Too many failed logins: the account is locked until {until} (UTC). Try later or ask the security administrator.',
  },
  'error.account_disabled': { 'zh-CN': '账号已停用，请联系安全管理员。', en: 'This account is disabled; ask the security administrator.' },
  'error.totp_required': { 'zh-CN': '请输入动态口令（6 位数字）。', en: 'Enter your one-time code (6 digits).' },
  'error.password_expired': { 'zh-CN': '口令已过期，请先修改口令。', en: 'Your password has expired; change it first.' },
  'error.rate_limited': { 'zh-CN': '请求过于频繁，请 {after} 后再试。', en: 'Too many requests; try again in {after}.' },
  'error.not_dispatchable': {
    'zh-CN': '事件 {id} 不予受理（状态 {status}），没有入格事项，无法推荐处置力量。',
    en: 'Event {id} was not admitted (status {status}): it has no catalog item, so no team can be recommended.',
  },
  'search.phone_not_permitted': {
    'zh-CN': '您的角色看不到报事人电话，未按电话号码查找（已记录）。请按案件编号、地址或事项查找。',
    en: 'Your role does not see reporters\' phone numbers, so the search did not look them up (this is recorded). Search by case id, address or item instead.',
  },
  'kpi.no_handler': { 'zh-CN': '未记录处置人', en: 'no handler recorded' },
  'kpi.no_team': { 'zh-CN': '未派遣', en: 'not dispatched' },
  'error.catalog_version_state': {
    'zh-CN': '清单版本 {version} 当前为“{status}”，只有草稿可以审批或驳回。',
    en: 'Catalog version {version} is {status}; only a draft can be approved or rejected.',
  },
  'error.catalog_own_draft': {
    'zh-CN': '不能审批或驳回自己起草的清单版本 {version}，须由其他审核人决定。',
    en: 'You wrote catalog version {version}; another approver must approve or reject it.',
  },
  // closed loop: actions on cases (workflow.service.ts)
  'error.illegal_transition': {
    'zh-CN': '案件当前状态为“{statusZh}”，不能执行“{actionZh}”。当前可执行：{allowedZh}。',
    en: 'The case is {status}: {action} is not allowed now. Allowed: {allowed}.',
  },
  'error.extension_pending': {
    'zh-CN': '已有一份延期申请待审批，不能再次申请。当前可执行：{allowedZh}。',
    en: 'An extension request is already waiting for a decision. Allowed: {allowed}.',
  },
  'error.no_extension_pending': {
    'zh-CN': '没有待审批的延期申请，不能“{actionZh}”。当前可执行：{allowedZh}。',
    en: 'No extension request is waiting, so {action} is not possible. Allowed: {allowed}.',
  },
  'error.verification_required': {
    'zh-CN': '该事项须先核查通过才能结案。当前可执行：{allowedZh}。',
    en: 'This item must be verified before the case closes. Allowed: {allowed}.',
  },
  'error.separation.reporter_cannot_handle': {
    'zh-CN': '采办分离：上报人不能处置自己上报的案件（{action}），须由其他人员处置。',
    en: 'Separation of duties: the reporter of a case may not handle it ({action}); someone else must.',
  },
  'error.separation.reporter_cannot_verify': {
    'zh-CN': '采办分离：上报人不能核查自己上报的案件，须由其他人员核查。',
    en: 'Separation of duties: the reporter of a case may not verify it; someone else must.',
  },
  'error.separation.handler_cannot_verify': {
    'zh-CN': '采办分离：处置人不能核查自己处置的案件（包括判定返工），须由其他人员核查。',
    en: 'Separation of duties: the handler of a case may not verify their own work (or send it back); someone else must.',
  },
  'error.separation.requester_cannot_approve': {
    'zh-CN': '采办分离：延期申请人不能审批自己的延期申请（{action}），须由其他人员审批。',
    en: 'Separation of duties: whoever requested an extension may not decide on it ({action}); someone else must.',
  },
  'error.not_your_team': {
    'zh-CN': '该案件派给了“{team}”，您所在的处置力量不能办理。',
    en: 'This case is assigned to {team}; your team may not act on it.',
  },
  'error.no_worker_record': { 'zh-CN': '您的账号未关联网格员档案，请联系网格办关联。', en: 'No grid worker record is linked to your account; ask the grid office to link it.' },
  'error.worker_change_invalid': { 'zh-CN': '网格员档案变更不符合规则：{what}', en: 'The worker change breaks a rule of the record: {what}' },
  'error.unknown_team': { 'zh-CN': '处置力量 {teamId} 不存在。', en: 'Team {teamId} does not exist.' },
  'error.no_team_to_act': {
    'zh-CN': '您的网格员账号未加入任何处置力量，不能办理案件；请安全管理员为账号指定所属队伍。',
    en: 'Your field-worker account belongs to no team, so it cannot act on cases; ask the security administrator to assign your team.',
  },
  'error.team_ineligible': {
    'zh-CN': '“{team}”不符合派遣条件：{whyZh}。如确需派遣，须写明派遣理由（override.reason）。',
    en: '{team} is not eligible for this case: {why}. To dispatch it anyway, give a reason (override.reason).',
  },
  'error.team_ineligible_binding': {
    'zh-CN': '“{team}”不能派遣：{whyZh}。这条规则不能以理由越过，请改派其他队伍。',
    en: '{team} cannot be dispatched: {why}. This rule cannot be overridden; choose another team.',
  },
  'error.merge_target_invalid': {
    'zh-CN': '不能合并到 {intoId}：主件须为同一事项、在办且未被合并的其他案件，并在您的管辖范围内。',
    en: 'Cannot merge into {intoId}: the master must be another open, unmerged case of the same item within your area.',
  },
  'error.self_handle_not_allowed': {
    'zh-CN': '事项“{item}”（{itemCode}）不允许网格员自行处置，请按流程上报。',
    en: 'Item {itemCode} ({item}) may not be handled on the spot; report it for dispatch.',
  },
  // photos (attachments.routes.ts, attachments.service.ts, workflow.service.ts)
  'error.attachment_type': {
    'zh-CN': '照片须为 JPEG、PNG 或 WebP 格式（Content-Type 须为 {allowed}）。',
    en: 'A photo must be JPEG, PNG or WebP (Content-Type one of {allowed}).',
  },
  'error.attachment_too_large': {
    'zh-CN': '照片过大：上限 {limitMb} MB（{limit} 字节）。请压缩后再上传。',
    en: 'The photo is too large: the limit is {limitMb} MB ({limit} bytes). Shrink it and upload again.',
  },
  'error.invalid_image': {
    'zh-CN': '上传的内容不是完整有效的 {type} 图片，未保存。',
    en: 'The upload is not a complete, valid {type} image; nothing was stored.',
  },
  'error.unknown_attachment': {
    'zh-CN': '第 {position} 个附件（{id}）不存在，或既不是您上传的、也不在本案件中。请先上传照片。',
    en: 'Attachment {position} ({id}) does not exist, or is neither your upload nor already on this case. Upload the photo first.',
  },
  // public requests: Open311 GeoReport v2 and the resident page (modules/open311)
  'error.unknown_address_text': {
    'zh-CN': '地址“{text}”找不到唯一对应的统一地址，未保存。请写得更具体（村社、门牌号），或改用经纬度、统一地址编码。',
    en: 'The address "{text}" does not name one unified address; nothing was stored. Be more specific (village, house number) or send coordinates or an address code.',
  },
  'error.open311_api_key': {
    'zh-CN': 'api_key 缺失、无效、已吊销或已过期，或不是用于 Open311 的接口密钥，未保存任何内容。',
    en: 'The api_key is missing, invalid, revoked or expired, or not a key for Open311; nothing was stored.',
  },
  'error.open311_location_required': {
    'zh-CN': '须提供位置：lat 和 long（WGS84），或 address_string，或 address_id（统一地址编码）。',
    en: 'A location is required: lat and long (WGS84), or address_string, or address_id (unified address code).',
  },
  'error.open311_window': {
    'zh-CN': 'start_date 到 end_date 最多 90 天，且 end_date 须晚于 start_date。',
    en: 'From start_date to end_date may span at most 90 days, and end_date must be after start_date.',
  },
  'error.open311_unknown_service': { 'zh-CN': '服务代码 {code} 不存在或不在现行入格事项清单内。', en: 'Service code {code} does not exist or is not in the active catalog.' },
  'error.open311_not_found': { 'zh-CN': '未找到：{what}', en: 'Not found: {what}' },
  'open311.notice.admitted': {
    'zh-CN': '已受理：{item}，由{body}处置，办结时限 {due}（北京时间）。',
    en: 'Received: {item}, handled by {body}; due by {due} (China time).',
  },
  'open311.notice.not_admitted': {
    'zh-CN': '不予受理：该事项不在入格事项清单内，已记录并转交{body}。',
    en: 'Not admitted: the matter is not in the admitted-item catalog; it is recorded and referred to {body}.',
  },
  // teams and alerts
  'error.not_your_team_report': {
    'zh-CN': '您只能上报本队伍的位置和状态，不能代“{team}”上报。',
    en: "You may report only your own team's position and status, not {team}'s.",
  },
  'error.alert_already_acked': {
    'zh-CN': '该告警已由 {who} 于 {at}（UTC）确认。',
    en: 'This alert was already acknowledged by {who} at {at} (UTC).',
  },
  'error.alert_cleared': {
    'zh-CN': '该告警已于 {at}（UTC）自动解除（{reasonZh}），无需确认。',
    en: 'This alert cleared itself at {at} (UTC): {reasonEn}. It needs no acknowledgement.',
  },
  // text, positions and request bodies (shared/contracts/text.ts, json-body.ts, county-area.ts)
  'error.bad_request': { 'zh-CN': '请求不是有效的 HTTP 请求。', en: 'The request is not valid HTTP.' },
  'error.headers_too_large': { 'zh-CN': '请求头过大。', en: 'The request headers are too large.' },
  'error.bad_encoding': { 'zh-CN': '请求内容不是有效的 UTF-8 文本，未保存。', en: 'The request body is not valid UTF-8 text; nothing was stored.' },
  'error.request_timeout': {
    'zh-CN': '请求在 {seconds} 秒内没有传完，连接已关闭。请在网络较好时重试。',
    en: 'The request did not arrive completely within {seconds} s, so the connection was closed. Retry on a better connection.',
  },
  'error.position_outside_county': {
    'zh-CN': '位置（经度 {lon}，纬度 {lat}）不在本县范围内（县界外 {marginKm} 公里以内才接收），未保存。请核对定位（WGS84，或注明 crs 为 gcj02）。',
    en: 'The position (lon {lon}, lat {lat}) is not in the county (accepted up to {marginKm} km beyond it); nothing was stored. Check the fix (WGS84, or crs gcj02).',
  },
  'error.self_handle_forbidden': {
    'zh-CN': '自行处置只限网格员本人在现场上报时使用；接口调用方（API key）和其他角色不能把案件直接上报为已结案，请按流程上报。',
    en: 'Handling on the spot is only for a grid worker reporting in person; integration clients (API keys) and other roles cannot report a case as closed. Report it for dispatch.',
  },
  // the resident page's public routes (modules/public-report)
  'error.public_form': {
    'zh-CN': '表单已失效或提交过快，未保存。请刷新页面后再提交，已填写的内容会保留。',
    en: 'The form has expired or was sent too quickly; nothing was saved. Reload the page and send again: what you typed is kept.',
  },
  'error.public_daily_cap': {
    'zh-CN': '今天从这个网络提交的次数已达上限，未保存。如情况紧急，请拨打 12345 或 110。',
    en: 'Today\'s limit of reports from this network has been reached; nothing was saved. If it is urgent, call 12345 or 110.',
  },
  'error.public_unknown_token': {
    'zh-CN': '查询码不存在，请核对后再试（共 32 位，区分大小写）。',
    en: 'No report has this tracking code; check it and try again (32 characters, case-sensitive).',
  },
  // data import: boundaries and rosters (modules/imports)
  'error.import_type': {
    'zh-CN': '导入文件须为 GeoJSON、压缩的 Shapefile（.zip）、CSV 或 XLSX。',
    en: 'An import file must be GeoJSON, a zipped Shapefile (.zip), CSV or XLSX.',
  },
  'error.import_too_large': { 'zh-CN': '导入文件过大（上限 {limitMb} MB）。', en: 'The import file is too large (limit {limitMb} MB).' },
  'error.import_refused': {
    'zh-CN': '校验发现 {count} 个问题，未写入任何数据。请按报告修正文件后重新导入。',
    en: 'The check found {count} problem(s); nothing was written. Fix the file as the report says and import it again.',
  },
  'error.import_stale': {
    'zh-CN': '校验之后数据库已有变化，未写入。请重新校验。',
    en: 'The database changed after the check; nothing was written. Check the file again.',
  },
  'error.import_not_ready': { 'zh-CN': '该导入当前不能写入（状态：{state}）。', en: 'This import cannot be written now (state: {state}).' },
  'error.import_busy': { 'zh-CN': '已有导入正在校验，请稍后再试。', en: 'Other imports are being checked; try again in a moment.' },
  'error.internal': { 'zh-CN': '服务器内部错误，操作未完成，数据未改变。', en: 'Internal server error; nothing was changed.' },
  // hotline bulk import (modules/hotline-import): the file as a whole, then each row's report
  'error.hotline_import.type': {
    'zh-CN': '只能导入 CSV（text/csv）或 Excel（.xlsx）文件，未导入任何内容。',
    en: 'Only CSV (text/csv) or Excel (.xlsx) files can be imported; nothing was imported.',
  },
  'error.hotline_import.too_large': { 'zh-CN': '文件过大（上限 {limitMb} MB），未导入任何内容。', en: 'The file is too large (limit {limitMb} MB); nothing was imported.' },
  'error.hotline_import.people_only': {
    'zh-CN': '批量导入须由指挥调度员、值班员或带班领导本人操作，接口密钥不能使用；接口请逐件调用 POST /api/v1/intake/hotline。',
    en: 'Bulk import is for dispatchers, duty officers and shift leads in person, not API keys; programs post each case to POST /api/v1/intake/hotline.',
  },
  'error.hotline_import.empty': { 'zh-CN': '文件是空的，未导入任何内容。', en: 'The file is empty; nothing was imported.' },
  'error.hotline_import.utf16': {
    'zh-CN': '文件是 UTF-16（Unicode 文本）编码，请在 Excel 中另存为“CSV UTF-8（逗号分隔）”或 .xlsx 后再导入。',
    en: 'The file is UTF-16 (Unicode text); save it from Excel as "CSV UTF-8 (comma delimited)" or .xlsx and import again.',
  },
  'error.hotline_import.encoding': {
    'zh-CN': '无法识别文件编码（既不是 UTF-8 也不是 GBK），未导入任何内容。请另存为“CSV UTF-8”或 .xlsx。',
    en: 'The file\'s encoding is neither UTF-8 nor GBK; nothing was imported. Save it as "CSV UTF-8" or .xlsx.',
  },
  'error.hotline_import.csv_quotes': {
    'zh-CN': 'CSV 第 {row} 行的引号没有闭合，文件不完整，未导入任何内容。',
    en: 'A quote opened in CSV record {row} is never closed: the file is incomplete; nothing was imported.',
  },
  'error.hotline_import.xlsx': { 'zh-CN': '不是有效的 .xlsx 文件（可能已损坏或是旧版 .xls），未导入任何内容。', en: 'Not a valid .xlsx file (damaged, or an old .xls); nothing was imported.' },
  'error.hotline_import.no_header': {
    'zh-CN': '前 10 行中找不到表头：至少须有“工单编号”和“诉求内容”两列。未导入任何内容。',
    en: 'No header row in the first 10 rows: the file needs at least the columns 工单编号 (caseNumber) and 诉求内容 (content). Nothing was imported.',
  },
  'error.hotline_import.no_rows': { 'zh-CN': '表头下面没有数据行，未导入任何内容。', en: 'There are no data rows under the header; nothing was imported.' },
  'error.hotline_import.too_many_rows': {
    'zh-CN': '文件有 {rows} 行，超过单次导入上限 {limit} 行，请拆分后导入。未导入任何内容。',
    en: 'The file has {rows} rows, more than the {limit} one import takes; split it. Nothing was imported.',
  },
  'hotline_import.row.invalid_field': { 'zh-CN': '“{column}”{problem}。', en: '{column} {problem}.' },
  'hotline_import.row.bad_call_time': { 'zh-CN': '须为“2026-12-02 08:30”这样的时间（北京时间）', en: 'must be a time like 2026-12-02 08:30 (China time)' },
  'hotline_import.row.bad_number': { 'zh-CN': '须为数字（十进制度）', en: 'must be a number (decimal degrees)' },
  'hotline_import.row.bad_crs': { 'zh-CN': '须为 WGS84、GCJ-02 或 BD-09', en: 'must be WGS84, GCJ-02 or BD-09' },
  'hotline_import.row.crs_required': { 'zh-CN': '有经纬度时须填写坐标系（WGS84、GCJ-02 或 BD-09），以免位置偏移', en: 'is required with coordinates (WGS84, GCJ-02 or BD-09), so no point is shifted' },
  'hotline_import.row.lon_lat_pair': { 'zh-CN': '经度和纬度须同时填写', en: 'needs both longitude and latitude' },
  'hotline_import.row.bad_urgency': { 'zh-CN': '须为 特急、紧急、一般、复杂（或 P0–P3）', en: 'must be 特急, 紧急, 一般, 复杂 (or P0–P3)' },
  'hotline_import.row.address_or_location': { 'zh-CN': '须填写事发地址，或经纬度和坐标系', en: 'needs the address, or coordinates with their system' },
  'hotline_import.row.duplicate_in_file': {
    'zh-CN': '工单编号 {caseNumber} 与第 {row} 行重复，本行未导入。',
    en: 'Case number {caseNumber} repeats row {row}; this row was not imported.',
  },
  'hotline_import.row.duplicate_of_earlier_import': {
    'zh-CN': '工单编号 {caseNumber} 此前已导入（{what}），未重复受理。',
    en: 'Case number {caseNumber} was imported before ({what}); nothing was added twice.',
  },
  'hotline_import.row.changed_since_import': {
    'zh-CN': '工单编号 {caseNumber} 此前已导入，但本行内容与当时不同；已导入的未作改动，如需更正请在案件中处理。',
    en: 'Case number {caseNumber} was imported before with other content; the stored case is unchanged — correct it on the case.',
  },
  'hotline_import.row.accepted': { 'zh-CN': '已受理：{item}，落入 {place}。', en: 'Accepted: {item}, in {place}.' },
  'hotline_import.row.would_accept': { 'zh-CN': '可受理：{item}。', en: 'Would be accepted: {item}.' },
  'hotline_import.row.item_uncertain': {
    'zh-CN': '事项不能确定（最可能：{best}），进入待甄别，由值班人员选择事项。',
    en: 'The item is uncertain (best guess: {best}); it waits in triage for a person to choose.',
  },
  'hotline_import.row.address_unresolved': {
    'zh-CN': '地址“{address}”未能落到网格，进入待甄别，由值班人员确定位置。',
    en: 'The address "{address}" did not resolve to a grid; it waits in triage for a person to place it.',
  },
  'hotline_import.row.would_not_admit': {
    'zh-CN': '将不予受理（{item}不在入格事项清单内），导入后记录并转 {receivingBody}。',
    en: 'Would not be admitted ({item} is not in the admitted-item catalog); importing records it and refers it to {receivingBody}.',
  },
  'hotline_import.row.not_admitted': {
    'zh-CN': '不予受理（{item}不在入格事项清单内），已记录并转 {receivingBody}。',
    en: 'Not admitted ({item} is not in the admitted-item catalog); recorded and referred to {receivingBody}.',
  },
  // channel adapters and the triage queue (modules/channels)
  'error.channel_mismatch': {
    'zh-CN': '此接口密钥不是用于“{channel}”渠道的（绑定渠道：{keyChannel}），未保存任何内容。请使用该渠道的专用密钥。',
    en: 'This API key is not for the "{channel}" channel (bound to: {keyChannel}); nothing was stored. Use the key issued for that channel.',
  },
  'error.channel_id_conflict': {
    'zh-CN': '渠道编号 {channelId} 已提交过不同的内容，未保存。重发请保持内容不变；新的事项请用新的编号。',
    en: 'Channel id {channelId} was already sent with a different body; nothing was stored. A retry must send the same body; a new matter needs a new id.',
  },
  'error.unmapped_alert_type': {
    'zh-CN': '视频告警类型“{alertType}”未对应任何入格事项，未保存。请先在告警类型对照表中配置。',
    en: 'Video alert type "{alertType}" is not mapped to a catalog item; nothing was stored. Add it to the alert-type mapping first.',
  },
  'error.low_confidence': {
    'zh-CN': '告警置信度 {confidence} 低于“{alertType}”的下限 {floor}，未立案（已记入审计日志）。',
    en: 'The alert\'s confidence {confidence} is below the floor {floor} of "{alertType}"; no case was made (recorded in the audit trail).',
  },
  'error.triage_decided': {
    'zh-CN': '待甄别事项 {id} 已由他人处理（已立案或已排除）。',
    en: 'Triage item {id} was already decided (made a case or dismissed) by someone else.',
  },
} as const;

const FIELD_MESSAGES: Record<string, Record<Lang, string>> = {
  required: { 'zh-CN': '必填', en: 'is required' },
  wrong_type: { 'zh-CN': '类型不对', en: 'has the wrong type' },
  too_short: { 'zh-CN': '至少 {limit} 个字符', en: 'must have at least {limit} characters' },
  too_long: { 'zh-CN': '最多 {limit} 个字符', en: 'must have at most {limit} characters' },
  too_small: { 'zh-CN': '不能小于 {limit}', en: 'must be at least {limit}' },
  too_big: { 'zh-CN': '不能大于 {limit}', en: 'must be at most {limit}' },
  not_allowed: { 'zh-CN': '取值须为：{allowed}', en: 'must be one of: {allowed}' },
  bad_format: { 'zh-CN': '格式不对', en: 'has the wrong format' },
  unknown_field: { 'zh-CN': '不认识的字段', en: 'is not a known field' },
  invalid_location: {
    'zh-CN': '须为 { lon, lat }（WGS84）或 { addressCode }',
    en: 'must be { lon, lat } (WGS84) or { addressCode }',
  },
  not_in_catalog: { 'zh-CN': '不在入格事项清单内', en: 'is not in the admitted-item catalog' },
  outside_county: { 'zh-CN': '不在本县范围内', en: 'is outside the county' },
  unknown_address: { 'zh-CN': '统一地址不存在', en: 'is not a known unified address' },
  out_of_scope: { 'zh-CN': '不在您的管辖范围内', en: 'is outside your area of responsibility' },
  outside_forward_county: { 'zh-CN': '不在本密钥所属的县（市、区）内', en: "is outside the key's county" },
  unknown_region: { 'zh-CN': '本平台没有这个区域', en: 'is not a region of this platform' },
  not_consecutive: { 'zh-CN': '序号须连续递增', en: 'must follow the previous seq by one' },
  taken: { 'zh-CN': '已被占用', en: 'is already taken' },
  multiple_admin_roles: { 'zh-CN': '系统、安全、审计管理员只能三者取一', en: 'may hold only one of system, security and audit administrator' },
  admin_with_operational_role: { 'zh-CN': '管理员角色不能兼任业务角色', en: 'cannot combine an administrator role with an operational role' },
  device_role_not_alone: { 'zh-CN': '大屏、接口角色只能单独使用', en: 'wall and integration roles stand alone' },
  duplicate_role: { 'zh-CN': '角色重复', en: 'lists a role twice' },
  duplicate_id: { 'zh-CN': '同一编号列了两次', en: 'lists an id twice' },
  admin_role_host_only: { 'zh-CN': '管理员角色只能在服务器上用 npm run admin 授予', en: 'administrator roles are given only on the server with npm run admin' },
  not_in_future: { 'zh-CN': '须晚于当前时间', en: 'must be in the future' },
  too_far: { 'zh-CN': '最迟为 {days} 天之后', en: 'must be at most {days} days ahead' },
  unknown_county: { 'zh-CN': '不是本平台的县（市、区）', en: 'is not a county of this platform' },
  not_city_scope: { 'zh-CN': '不在您管辖的市内', en: 'is not in a city you hold' },
  wrong_password: { 'zh-CN': '当前口令不正确', en: 'is not your current password' },
  password_too_short: { 'zh-CN': '口令太短', en: 'is too short' },
  password_too_long: { 'zh-CN': '口令太长（最多 128 个字符）', en: 'is too long (at most 128 characters)' },
  password_too_few_classes: { 'zh-CN': '须包含大写字母、小写字母、数字、符号中的至少三类', en: 'needs 3 of: upper case, lower case, digits, symbols' },
  password_common_password: { 'zh-CN': '是常见口令，容易被猜中', en: 'is a common password, easy to guess' },
  password_contains_username: { 'zh-CN': '不能包含用户名', en: 'must not contain the username' },
  password_reused: { 'zh-CN': '不能与最近 5 次使用过的口令相同', en: 'must differ from your last 5 passwords' },
  not_after_from: { 'zh-CN': '须晚于 from', en: 'must be after from' },
  duplicate: { 'zh-CN': '重复', en: 'appears twice' },
  weights_sum: { 'zh-CN': '德、能、勤、绩权重须为整数，合计 100', en: 'must be whole percents adding up to 100' },
  overlaps: { 'zh-CN': '与已有考核期重叠', en: 'overlaps an existing period' },
  not_assessed: { 'zh-CN': '不是本期考核对象', en: 'is not assessed in this period' },
  before_from: { 'zh-CN': '不能早于 from', en: 'must not be before from' },
  too_many_days: { 'zh-CN': '统计期间最长 {limit} 天', en: 'the period may span at most {limit} days' },
  unknown_town: { 'zh-CN': '没有这个镇街', en: 'is not a town of the county' },
  unknown_area: { 'zh-CN': '不是本平台的县（市、区）或市', en: 'is not a county or city of this platform' },
  area_with_town: { 'zh-CN': 'area 与 town 只能二选一', en: 'cannot be given with town' },
  no_county_level: { 'zh-CN': '本平台只有一个县（市、区），不能按县（市、区）分组', en: 'cannot be county: this platform is one county' },
  no_city_level: { 'zh-CN': '本平台没有多个市，不能按市分组', en: 'cannot be city: this platform has no cities below it' },
  period_too_long: { 'zh-CN': '时段最长 {days} 天', en: 'must be at most {days} days after from' },
  duplicate_code: { 'zh-CN': '编码重复', en: 'repeats a code already used in this catalog' },
  not_in_urgencies: { 'zh-CN': '默认紧急程度须在该事项的紧急程度之内', en: "must be one of the item's urgencies" },
  missing_limits: { 'zh-CN': '缺少该紧急程度的各环节时限', en: 'needs the step limits of this urgency' },
  urgency_not_allowed: { 'zh-CN': '该事项不允许此紧急程度', en: 'is not one of the urgencies of this item' },
  invalid_calendar: {
    'zh-CN': '工作日历有误：时段须按先后排列且不重叠，日期须真实存在，同一天不能既是节假日又是调休上班日',
    en: 'is not a usable calendar: periods must be in order without overlap, days must exist, no day may be both a holiday and a workday',
  },
  // shift schedule (shared/contracts/settings.ts shiftProblems)
  shift_not_contiguous: {
    'zh-CN': '须在下一班次开始时结束：各班次须首尾相接、覆盖全天，不留空档也不重叠',
    en: 'must be when the next shift starts: the shifts follow one another around the clock, with no gap or overlap',
  },
  empty_shift: { 'zh-CN': '班次的开始和结束不能相同（只有一个班次时表示 24 小时）', en: 'cannot equal the start (a single shift of 24 hours only)' },
  duplicate_name: { 'zh-CN': '名称重复', en: 'repeats the name of another shift' },
  // grid workers' training (modules/training)
  unknown_course: { 'zh-CN': '培训课程不存在', en: 'is not a known course' },
  unknown_session: { 'zh-CN': '培训场次不存在', en: 'is not a known session' },
  unknown_worker: { 'zh-CN': '网格员不存在', en: 'is not a known worker' },
  worker_left: { 'zh-CN': '该网格员已离职', en: 'is a worker who has left' },
  worker_outside_town: { 'zh-CN': '该网格员不属于本场培训的镇街', en: "is a worker outside the session's town" },
  worker_out_of_scope: { 'zh-CN': '该网格员不在您的管辖范围内', en: 'is a worker outside your area of responsibility' },
  over_session_hours: { 'zh-CN': '学时不能超过本场培训的 {limit} 学时', en: "must be at most the session's {limit} hours" },
  county_scope_only: { 'zh-CN': '县级培训只能由县网格办创建', en: "must be a town: only the county's grid office holds county sessions" },
  not_attended: { 'zh-CN': '该网格员没有参加这场培训', en: 'is a session the worker did not attend' },
  self_handled_only: { 'zh-CN': '只有自行处置（selfHandled）时才能填写处置结果', en: 'is only for a self-handled report (selfHandled)' },
  self_handle_not_allowed: { 'zh-CN': '该事项不允许自行处置', en: 'is not allowed for this item' },
  unknown_team: { 'zh-CN': '处置力量不存在', en: 'is not a known team' },
  team_off_duty: { 'zh-CN': '该处置力量当前离岗', en: 'is off duty' },
  team_type_mismatch: { 'zh-CN': '队伍类型不符合事项要求', en: 'is not of the team type the item asks for' },
  team_reporter_only_member: {
    'zh-CN': '本队唯一可处置成员是上报人（采办分离）',
    en: "has no member to handle the case but its reporter (separation of duties)",
  },
  override_reason_required: { 'zh-CN': '派遣不符合条件的队伍须写明理由', en: 'is required to dispatch a team that is not eligible' },
  merge_itself: { 'zh-CN': '不能合并到自身', en: 'is the case itself' },
  merge_not_found: { 'zh-CN': '案件不存在', en: 'is not a known case' },
  merge_out_of_scope: { 'zh-CN': '不在您的管辖范围内', en: 'is outside your area of responsibility' },
  merge_already_merged: { 'zh-CN': '已被合并到其他案件，请合并到其主件', en: 'was itself merged; merge into its master' },
  merge_not_open: { 'zh-CN': '已办结或已终止，不能作为主件', en: 'is no longer open' },
  merge_other_item: { 'zh-CN': '事项不同，不能合并', en: 'is a case of another item' },
  image_signature_mismatch: { 'zh-CN': '文件内容与声明的图片格式不符', en: 'does not start like the declared image type' },
  image_not_an_image: { 'zh-CN': '不是图片', en: 'is not an image' },
  image_type_mismatch: { 'zh-CN': '实际图片格式与声明的不符', en: 'is an image of another type than declared' },
  image_too_many_pixels: { 'zh-CN': '像素过多', en: 'has too many pixels' },
  image_unreadable: { 'zh-CN': '图片不完整或已损坏', en: 'is truncated or corrupt' },
  unknown_attachment: { 'zh-CN': '附件不存在或无权使用', en: 'is not a stored attachment you may use here' },
  in_future: { 'zh-CN': '时间不能晚于服务器时间 {minutes} 分钟以上', en: 'must not be more than {minutes} min ahead of the server clock' },
  too_old: { 'zh-CN': '时间不能早于 {hours} 小时之前', en: 'must not be older than {hours} h' },
  control_character: { 'zh-CN': '含有不允许的控制字符（单行文字也不能含换行或制表符）', en: 'contains a control character (one-line text also no line break or tab)' },
  bidi_control: { 'zh-CN': '含有文字方向控制字符', en: 'contains a text-direction control character' },
  bad_encoding: { 'zh-CN': '含有编码无效的字符', en: 'contains characters that are not valid text (broken encoding)' },
  self_handle_forbidden: { 'zh-CN': '只有网格员本人现场上报时可以自行处置', en: 'is only for a grid worker reporting in person' },
  unknown_address_text: { 'zh-CN': '找不到唯一对应的统一地址', en: 'does not name one unified address' },
  // the resident page's form token and honeypot (modules/public-report)
  form_invalid: { 'zh-CN': '表单凭证无效，请刷新页面', en: 'is not a valid form token; reload the page' },
  form_expired: { 'zh-CN': '表单已过期，请刷新页面', en: 'has expired; reload the page' },
  form_too_fast: { 'zh-CN': '提交过快，请稍候再提交', en: 'was sent too quickly; wait a moment and send again' },
  form_used: { 'zh-CN': '该表单已提交过，请刷新页面再报新的事项', en: 'was already used for a report; reload the page for a new one' },
  // grid workers' records (modules/workforce)
  micro_grid_not_in_grid: { 'zh-CN': '微网格须属于该网格员所在网格', en: "must be micro-grids of the worker's grid" },
  unknown_user: { 'zh-CN': '账号不存在', en: 'is not a known account' },
  not_field_worker: { 'zh-CN': '账号须为网格员（处置人员）角色', en: 'must be an account with the field worker role' },
  linked_to_other_worker: { 'zh-CN': '该账号已关联其他网格员', en: 'is already linked to another worker' },
  left_on_required: { 'zh-CN': '离职须填写离职日期', en: "is required when the status is 'left'" },
  left_on_not_left: { 'zh-CN': '只有离职人员才有离职日期', en: "is only for a worker whose status is 'left'" },
  before_started_on: { 'zh-CN': '不能早于入职日期', en: 'must not be before the start date' },
  honeypot: { 'zh-CN': '此项应留空', en: 'must be left empty' },
  // the grid deliberation day (modules/deliberation)
  unknown_grid: { 'zh-CN': '没有这个网格', en: 'is not a grid of the county' },
  outside_grid: { 'zh-CN': '位置须在{grid}网格内', en: 'must lie inside the grid {grid}' },
  day_in_future: { 'zh-CN': '不能晚于今天', en: 'must not be after today' },
  // channel adapters (modules/channels)
  unknown_camera: { 'zh-CN': '不是已登记的摄像头', en: 'is not a registered camera' },
  unmapped_alert_type: { 'zh-CN': '未在告警类型对照表中', en: 'is not in the alert-type mapping' },
  below_floor: { 'zh-CN': '低于该告警类型的置信度下限 {limit}', en: 'is below this alert type\'s floor of {limit}' },
  image_not_jpeg_or_png: { 'zh-CN': '须为 JPEG 或 PNG 图片的 base64', en: 'must be the base64 of a JPEG or PNG image' },
  address_or_location: { 'zh-CN': '须提供地址或坐标之一', en: 'needs an address or coordinates' },
  channel_id_conflict: { 'zh-CN': '该编号已提交过不同的内容', en: 'was already sent with a different body' },
  unknown_item: { 'zh-CN': '不在现行入格事项清单内，也不是清单外转办事项', en: 'is neither an item of the active catalog nor a referral' },
  invalid: { 'zh-CN': '无效', en: 'is invalid' },
};

export type MessageKey = keyof typeof MESSAGES;

function fill(template: string, params: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => (params[k] === undefined ? `{${k}}` : String(params[k])));
}

export function t(lang: Lang, key: MessageKey, params: Record<string, unknown> = {}): string {
  return fill(MESSAGES[key][lang], params);
}

export function fieldMessage(lang: Lang, code: string, params: Record<string, unknown>): string {
  const m = FIELD_MESSAGES[code] ?? FIELD_MESSAGES.invalid!;
  return fill(m[lang], params);
}

/** zh-CN unless the client prefers English. */
export function langFrom(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'zh-CN';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh-CN';
}
