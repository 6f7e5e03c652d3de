import type { GridProblemCode, RosterProblemCode } from '../../../../shared/contracts/imports.js';

/** The report's words for the command line, both languages (the console has its own in its i18n files). */
export const GRID_PROBLEM_TEXT: Record<GridProblemCode, string> = {
  not_polygon: '不是单个面 / not a single Polygon',
  ring_unclosed: '环未闭合 / ring not closed',
  ring_too_short: '环少于 4 个点 / ring has fewer than 4 positions',
  self_intersection: '边界自相交 / boundary crosses itself',
  invalid_geometry: '几何无效 / invalid geometry',
  not_lonlat: '坐标不是经纬度 / coordinates are not longitude/latitude',
  outside_china: '坐标不在中国境内 / coordinates outside China',
  code_missing: '缺少编码 / code missing',
  code_duplicate: '编码重复 / duplicate code',
  code_other_level: '编码已被其他层级使用 / code used by another level',
  name_missing: '缺少名称 / name missing',
  parent_missing: '缺少上级编码 / parent code missing',
  parent_unknown: '上级编码不存在 / unknown parent',
  overlap: '与相邻区域重叠 / overlaps a sibling',
  outside_parent: '超出上级边界 / extends outside its parent',
  gap: '上级区域有未覆盖的空隙 / part of the parent covered by no child',
  children_outside: '下级区域将落在新边界外 / regions below would fall outside the new boundary',
  in_use: '文件未列出但仍被引用 / left out of the file but still referenced',
};

export const ROSTER_PROBLEM_TEXT: Record<RosterProblemCode, string> = {
  required: '必填 / required',
  bad_value: '取值无效 / invalid value',
  duplicate: '重复 / duplicate',
  unknown_region: '区域编码不存在 / unknown region code',
  unknown_header: '无法识别表头 / headers not recognised',
  no_rows: '没有数据行 / no rows',
  left_on_required: '离职须填写离职日期 / a worker who left needs a leaving date',
  left_on_not_left: '只有状态为离职的人员才能填写离职日期 / a leaving date is only for a worker whose status is 离职 (left)',
  date_order: '离职日期早于入职日期 / leaving date before the start date',
  unknown_team: '队伍编号不存在 / unknown team id',
  micro_grid_outside: '微网格编码不存在或不属于该网格员所在网格 / unknown micro-grid code, or not one of the worker\'s grid',
  unknown_account: '登录账号不存在或不是网格员账号 / no field worker account with that username',
  account_taken: '登录账号已关联其他网格员 / the account is linked to another worker',
  outside_scope: '网格不在您的管辖范围内 / the grid is outside your towns',
};
