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
};
