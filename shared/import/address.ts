// Splitting a Chinese rural address into the administrative levels the worklist groups by:
// county (县/区/旗/县级市) › township (乡/镇/街道) › village (村/社区/居委会). Core banking
// systems often export one address column ('平安县龙泉镇张湾村5组') instead of three.
// Names are matched by their suffix, from the largest level down; a level that is not
// there is skipped, so '龙泉镇张湾村' and '张湾村5组' split too.
import { toHalfWidth } from './cell-text';

export interface AddressParts {
  province: string | null;
  city: string | null;
  county: string | null;
  township: string | null;
  village: string | null;
  /** What follows the village: group, house number ('5组12号'). */
  detail: string | null;
}

const PROVINCE = /^(.{2,7}?(?:省|自治区))/;
// Prefecture-level city; a municipality ('重庆市') also lands here.
const CITY = /^([^县区镇乡村]{2,9}?(?:自治州|地区|盟|市))/;
// Stops before a township or village suffix so '龙泉镇友谊社区' is never read as a county.
const COUNTY = /^([^镇乡村]{1,8}?(?:自治县|县|区|旗|市))/;
const TOWNSHIP = /^([^村]{1,9}?(?:街道办事处|街道办|街道|镇|乡))/;
const VILLAGE = /^(.{1,10}?(?:村民委员会|居民委员会|村委会|居委会|社区|村)(?:居民委员会|居委会)?)/;
/** A level cannot end right before a township or village suffix: '新市' in '新市镇' is no county. */
const INSIDE_A_NAME = /^(?:镇|乡|街道|村|社区)/;

/** Splits an address; every part is null when the text has no recognisable level. */
export function splitAddress(address: string): AddressParts {
  let rest = toHalfWidth(address).replace(/\s+/g, '');
  const take = (re: RegExp, accept: (part: string) => boolean = () => true): string | null => {
    const m = re.exec(rest);
    const part = m?.[1];
    if (!part || !accept(part) || INSIDE_A_NAME.test(rest.slice(part.length))) return null;
    rest = rest.slice(part.length);
    return part;
  };
  const province = take(PROVINCE);
  const city = take(CITY, (p) => !p.endsWith('社区'));
  // A county-level city with no prefecture before it ('都江堰市幸福街道') stays in `city`.
  const county = take(COUNTY, (p) => !p.endsWith('社区') && !p.endsWith('小区'));
  const township = take(TOWNSHIP);
  const villageRaw = take(VILLAGE);
  const village = villageRaw ? normaliseCommittee(villageRaw) : null;
  return {
    province,
    city,
    county,
    township,
    village,
    detail: rest === '' ? null : rest,
  };
}

/** '张湾村委会' / '张湾村民委员会' -> '张湾村'; '友谊社区居委会' -> '友谊社区'. */
function normaliseCommittee(village: string): string {
  return village
    .replace(/村(?:民委员会|委会)$/, '村')
    .replace(/社区(?:居民委员会|居委会)$/, '社区');
}
