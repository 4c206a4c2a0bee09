// Static vocabulary for the demo data (src/seed/demo.ts): Chinese names, departments, units, duties.
import type { DutyList, UnitKind } from '../generated/prisma/enums.js'

export const SURNAMES = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴孔汤',
]

export const GIVEN_CHARS = [
  ...'伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红文玉海燕晓辉鹏俊宇浩婷雪琳欣怡子轩梓涵雨萱思远佳琪家豪立新永红春梅卫东小龙德胜淑珍凤英',
]

/** The communities of each street, side by side west → east. */
export const COMMUNITIES = [
  { name: '东门社区', short: '东门', abbr: 'DM', road: '东门大街', compounds: ['东门花园', '锦绣苑'] },
  { name: '南桥社区', short: '南桥', abbr: 'NQ', road: '南桥路', compounds: ['南桥新村', '翠湖雅居'] },
  { name: '西街社区', short: '西街', abbr: 'XJ', road: '西街', compounds: ['西街小区', '和园'] },
] as const

/** District-level departments (region = the district). */
export const DISTRICT_DEPARTMENTS = [
  { abbr: 'ZJ', name: '江城区住房和城乡建设局' },
  { abbr: 'HB', name: '江城区生态环境分局' },
  { abbr: 'JT', name: '江城区交通运输局' },
  { abbr: 'RS', name: '江城区人力资源和社会保障局' },
] as const

/** Street-level departments (region = the street); `{s}` is the street's short name (城关). */
export const STREET_DEPARTMENTS = [
  { abbr: 'PCS', name: '{s}派出所' },
  { abbr: 'ZF', name: '{s}街道城管执法中队' },
  { abbr: 'SJ', name: '{s}市场监督管理所' },
  { abbr: 'MZ', name: '{s}街道民政办' },
  { abbr: 'YJ', name: '{s}街道应急管理办' },
  { abbr: 'HW', name: '{s}环卫所' },
  { abbr: 'SF', name: '{s}司法所' },
  { abbr: 'XF', name: '{s}消防救援站' },
  { abbr: 'SW', name: '{s}水务站' },
  { abbr: 'GD', name: '{s}供电所' },
  { abbr: 'WJ', name: '{s}街道卫生健康办' },
] as const

/** Two units per kind per street. Placeholders: `{s}` street short name, `{c}` community short name,
 *  `{k}` a compound name of the unit's community. `prefix` is the credit code's registration-authority
 *  and organisation-category digits (GB 32100-2015). */
export const UNITS: Record<UnitKind, { prefix: string; names: [string, string] }> = {
  AGENCY: { prefix: '11', names: ['国家税务总局临江市江城区税务局{s}税务所', '江城区人民法院{s}人民法庭'] },
  ENTERPRISE: { prefix: '91', names: ['临江江城电子科技有限公司', '临江市明远建设工程有限公司'] },
  INSTITUTION: { prefix: '12', names: ['临江市江城区{s}小学', '江城区第二人民医院'] },
  NEW_ECONOMIC: { prefix: '91', names: ['美团外卖{s}配送站', '顺丰速运{c}营业部'] },
  NEW_SOCIAL: { prefix: '52', names: ['江城区{s}社会工作服务中心', '临江市心桥志愿者协会{c}服务队'] },
  PROPERTY_MANAGEMENT: {
    prefix: '91',
    names: ['临江万家物业服务有限公司{k}项目部', '临江锦华物业管理有限公司{k}服务中心'],
  },
  OWNERS_COMMITTEE: { prefix: '53', names: ['{k}业主大会业主委员会', '{k}业主大会业主委员会'] },
}

export const ASSIGNMENT_DUTIES = {
  LEADER: '统筹网格工作，组织网格议事协商，协调处置网格内矛盾纠纷',
  FULL_TIME: '日常巡查走访，采集更新基础信息，上报处置网格事件',
  PART_TIME: '协助巡查走访，参与志愿服务和应急处置',
  BUILDING_LEADER: '联系楼栋住户，收集反映诉求，宣传政策',
} as const

/** Two items per list; `{g}` is the grid's name. */
export const GRID_DUTIES: Record<DutyList, { title: string; content: string }[]> = {
  FUNCTION: [
    {
      title: '网格巡查',
      content: '每日对网格内楼栋、道路和公共设施开展巡查，及时发现并上报安全隐患、环境卫生、违章搭建等问题。',
    },
    { title: '矛盾纠纷排查化解', content: '定期排查邻里、物业、家庭等矛盾纠纷，做到小事不出网格、大事不出社区。' },
  ],
  SERVICE: [
    { title: '便民代办', content: '为老年人、残疾人等特殊群体代办社保认证、医保报销、证照办理等事项。' },
    { title: '走访慰问', content: '定期走访独居老人、困难家庭和重点人群，建立走访台账，及时回应群众诉求。' },
  ],
  DATA: [
    {
      title: '基础信息采集',
      content: '采集核实网格内实有人口、房屋和单位信息，做到“人进户、户进房、房进网格”，变动信息7日内更新。',
    },
    { title: '重点人员台账', content: '建立独居老人、残疾人、低保户、社区矫正对象等重点人员台账，实行动态管理。' },
  ],
  RESPONSIBILITY: [
    { title: '网格长负总责', content: '{g}网格长对网格内党建引领、基层治理和平安建设工作负总责。' },
    { title: '问题限时上报', content: '发现问题2小时内通过网格平台上报，重大突发事件立即电话报告社区。' },
  ],
  PROCESS: [
    {
      title: '事件处置流程',
      content: '发现上报 → 社区受理 → 分类派单（吹哨报到）→ 部门处置 → 网格员核查 → 群众评价 → 结案归档。',
    },
    {
      title: '吹哨报到流程',
      content: '网格内无法解决的问题由社区“吹哨”，相关职能部门30分钟内响应报到，限时办结并反馈。',
    },
  ],
}
