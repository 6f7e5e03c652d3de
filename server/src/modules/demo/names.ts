import { WeightedTable, type Random } from './random.js';

/**
 * Names for the demo county's people and places. Every name is generated; any likeness to a
 * real person, phone or place is chance.
 */

/** Common surnames with rough weights for central Zhejiang (per mille; 陈 王 张 李 lead, 楼 应 俞 are local). */
const SURNAMES: Array<[string, number]> = [
  ['陈', 62], ['王', 58], ['张', 40], ['李', 36], ['吴', 32], ['刘', 28], ['周', 27], ['徐', 26], ['黄', 22], ['杨', 22],
  ['朱', 20], ['何', 18], ['金', 18], ['胡', 18], ['林', 17], ['郑', 17], ['叶', 16], ['方', 15], ['沈', 14], ['俞', 12],
  ['应', 11], ['楼', 11], ['蒋', 11], ['赵', 11], ['孙', 10], ['钱', 9], ['潘', 9], ['杜', 8], ['许', 8], ['傅', 8],
  ['施', 7], ['余', 7], ['丁', 7], ['姚', 7], ['邵', 7], ['倪', 6], ['汪', 6], ['盛', 6], ['马', 6], ['骆', 6],
  ['童', 5], ['虞', 5], ['鲍', 5], ['卢', 5], ['宋', 5], ['洪', 5], ['戴', 5], ['毛', 5], ['吕', 5], ['蔡', 5],
  ['曹', 4], ['范', 4], ['石', 4], ['程', 4], ['袁', 4], ['严', 4], ['韩', 4], ['唐', 4], ['冯', 4], ['邓', 3],
  ['郭', 3], ['谢', 3], ['罗', 3], ['葛', 3], ['滕', 3], ['柳', 3], ['贾', 3],
];

/** Given-name characters by gender; the older pools carry the names of the 1950s–70s. */
const MALE_OLD = ['建国', '建华', '国强', '志强', '建军', '卫东', '国庆', '建平', '新华', '志明', '金水', '樟土', '根法', '阿土', '永康', '德明', '福根', '仁寿', '雪明', '宝林', '荣华', '振华', '立新', '红卫', '伟民', '关富', '土根', '水根', '裕民', '长春'];
const FEMALE_OLD = ['秀英', '桂英', '美娟', '丽萍', '玉兰', '金花', '彩凤', '月娥', '素芬', '菊仙', '爱华', '雪芳', '凤英', '美华', '彩霞', '秋菊', '月仙', '春燕', '小娟', '巧云', '冬梅', '翠英', '亚芬', '国芳', '杏花', '荷花', '美玲', '素琴', '兰芳', '仙娟'];
const MALE_CHARS = ['伟', '强', '军', '杰', '涛', '斌', '超', '勇', '磊', '鹏', '峰', '俊', '浩', '宇', '晨', '凯', '辉', '亮', '刚', '华', '明', '东', '林', '波', '锋', '建', '平', '海', '永', '成', '志', '文', '昊', '航', '哲'];
const FEMALE_CHARS = ['芳', '娟', '敏', '静', '丽', '婷', '燕', '霞', '萍', '红', '艳', '玲', '莉', '琴', '雪', '慧', '颖', '倩', '佳', '洁', '琳', '晶', '露', '瑶', '欣', '雅', '婧', '蕾', '琪', '悦', '姗', '娜', '菲', '怡', '妍', '媛'];

/** Mobile prefixes of the three carriers (1[3-9]x). */
const MOBILE_PREFIXES = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '153', '155', '156', '157', '158', '159', '166', '173', '177', '180', '181', '182', '183', '185', '186', '187', '188', '189', '191', '198', '199'];

const surnameTable = new WeightedTable(
  SURNAMES.map(([s]) => s),
  SURNAMES.map(([, w]) => w),
);

export type Gender = 'F' | 'M';

/** A person's name; `birthYear` picks the generation's naming fashion. */
export function personName(rng: Random, gender: Gender, birthYear: number): string {
  const surname = surnameTable.draw(rng);
  const old = birthYear < 1975;
  if (old && rng.chance(0.55)) return surname + rng.pick(gender === 'M' ? MALE_OLD : FEMALE_OLD);
  const pool = gender === 'M' ? MALE_CHARS : FEMALE_CHARS;
  // One-character given names were common for people born in the 1980s and '90s.
  if (rng.chance(old ? 0.15 : 0.3)) return surname + rng.pick(pool);
  let second = rng.pick(pool);
  const first = rng.pick(pool);
  while (second === first) second = rng.pick(pool);
  return surname + first + second;
}

/** Hands out mobile numbers that are unique within one generator run. */
export class PhoneBook {
  private readonly used = new Set<string>();

  constructor(private readonly rng: Random) {}

  mobile(): string {
    for (;;) {
      const n = rng8(this.rng);
      const phone = this.rng.pick(MOBILE_PREFIXES) + n;
      if (!this.used.has(phone)) {
        this.used.add(phone);
        return phone;
      }
    }
  }

  /** A landline of the county (area code 0579), for offices and channels rather than people. */
  landline(): string {
    for (;;) {
      const phone = `0579-8${String(this.rng.int(0, 9_999_999)).padStart(7, '0')}`;
      if (!this.used.has(phone)) {
        this.used.add(phone);
        return phone;
      }
    }
  }
}

function rng8(rng: Random): string {
  return String(rng.int(0, 99_999_999)).padStart(8, '0');
}

/** Syllables of rural place names: a first part (direction, surname, feature) and a second (landform). */
const PLACE_FIRST = ['溪', '新', '上', '下', '东', '西', '南', '北', '前', '后', '大', '小', '高', '石', '沙', '竹', '枫', '桃', '杏', '梅', '松', '柏', '白', '青', '黄', '金', '马', '龙', '凤', '塘', '岩', '湖', '泉', '清', '长', '双', '仙', '云', '花', '杨', '陈', '王', '吴', '楼', '傅', '郑', '叶', '方', '俞', '何', '周', '徐', '应', '赵', '蒋', '潘', '毛', '虞', '盛', '罗'];
const PLACE_SECOND = ['口', '塘', '坞', '岭', '山', '坑', '湾', '桥', '头', '宅', '源', '坪', '畈', '洋', '岙', '岗', '墩', '溪', '埠', '田', '庄', '垄', '园', '林', '湖', '门', '滩', '堰', '峰', '店'];
const URBAN_NAMES = ['文化', '和平', '新华', '人民', '解放', '锦绣', '翠苑', '金桥', '朝阳', '阳光', '康乐', '长安', '东方', '丰收', '振兴', '文苑', '桂花', '紫薇', '滨江', '龙山', '凤山', '望江', '迎宾', '育才', '光明', '幸福', '花园', '春晖', '秀水', '清风', '江滨', '红旗', '胜利', '建设', '青年', '兴华', '星光', '万福', '城北', '城南', '仙华', '塔山', '月泉', '华门', '浦南', '荷花', '银湖', '玉泉', '湖滨', '西湖', '东山', '南山', '北门', '西门', '东门', '南门', '聚贤', '和美', '锦华', '嘉园'];

/**
 * Unique place names for the whole county. Pairs of syllables are shuffled once per run, so
 * names look local but repeat nowhere; when a pool runs dry, numbered names keep them unique.
 */
export class PlaceNames {
  private readonly rural: string[];
  private readonly urban: string[];
  private readonly used = new Set<string>();
  private extra = 0;

  constructor(rng: Random) {
    const pairs: string[] = [];
    for (const a of PLACE_FIRST) for (const b of PLACE_SECOND) if (a !== b) pairs.push(a + b);
    this.rural = rng.shuffle(pairs);
    this.urban = rng.shuffle([...URBAN_NAMES]);
  }

  /** A two-character rural stem such as 溪口, 王宅. */
  rural2(): string {
    return this.take(this.rural);
  }

  /** A stem for an urban community or road such as 文化, 锦绣. */
  urban2(): string {
    return this.take(this.urban, this.rural);
  }

  /** Marks a name as taken (fixed names such as 城东). */
  reserve(name: string): boolean {
    if (this.used.has(name)) return false;
    this.used.add(name);
    return true;
  }

  private take(pool: string[], fallback?: string[]): string {
    for (const list of fallback ? [pool, fallback] : [pool]) {
      while (list.length > 0) {
        const name = list.pop()!;
        if (this.reserve(name)) return name;
      }
    }
    this.extra += 1;
    return `新${this.extra}`;
  }
}

const ROAD_SUFFIXES = ['路', '路', '路', '街', '大道', '巷'];

/** A road name built on a stem: 文化路, 锦绣街. */
export function roadName(rng: Random, stem: string): string {
  return stem + rng.pick(ROAD_SUFFIXES);
}
