import { CORE_SYNONYM_GROUPS } from "../../domain/knowledge/lexicon.ts";

/**
 * Words jieba must keep whole: the tax terms of the articles and the office's own words. Loaded as
 * jieba's user dictionary, together with every word of CORE_SYNONYM_GROUPS. Changing this list
 * changes how articles are tokenized, so the analyzer's version (a hash of it) changes and the
 * index is rebuilt on the next start.
 */
export const TAX_TERMS: readonly string[] = [
  "车船税", "契税", "印花税", "个人所得税", "个税", "增值税", "城建税", "城市维护建设税", "教育费附加", "地方教育附加",
  "房产税", "城镇土地使用税", "土地使用税", "土地增值税", "耕地占用税", "资源税", "水资源税", "营业税", "营改增", "附加税费",
  "完税证明", "完税凭证", "免税证明", "减免税证明", "减免税凭证", "完免税凭证", "纳税证明", "交强险", "车船", "车船税法",
  "代扣代缴", "代收代缴", "委托代征", "预扣预缴", "扣缴义务人", "扣缴申报", "代征证书", "全员全额申报",
  "先税后证", "存量房", "二手房", "权属转移登记", "转移登记", "定期检验", "年检", "车辆登记", "车架号", "号牌",
  "电子税务局", "办税服务厅", "个税app", "个人所得税app", "小规模纳税人", "一般纳税人", "起征点", "征收率", "综合征收率",
  "综合所得", "工资薪金", "劳务报酬", "稿酬", "特许权使用费", "经营所得", "偶然所得", "财产转让所得", "财产租赁所得",
  "利息股息红利", "专项附加扣除", "累计预扣法", "年度汇算", "汇算清缴", "居民个人", "非居民个人", "预扣率",
  "滞纳金", "数电票", "虚开发票", "代开发票", "发票查验", "发票备注", "营业性演出", "事前报告", "演出报酬",
  "满五唯一", "满二", "首套房", "唯一住房", "新能源车", "新能源汽车", "节能汽车", "警用车", "出租房屋", "出租住房",
  "不动产登记", "不动产权证", "建设用地", "农村建房", "耕地", "采砂", "砂石", "检举", "匿名检举", "实名检举", "检举奖励",
  "国地税合并", "纳税人", "纳税义务发生时间", "计税依据", "成交价格", "承受方", "超率累进", "增值额", "扣除项目",
  "从价计征", "从租计征", "房产余值", "体育场馆", "建筑服务", "跨区域施工", "预征率", "预缴", "工程款", "建设工程合同",
  "产权转移书据", "应税凭证", "营业账簿", "租赁合同", "减半征收", "手续费", "应扣未扣", "协税护税", "协税", "征管法",
  "税收征收管理法", "协助义务", "工作边界", "保密义务", "纳税人隐私", "商业秘密", "检举人", "一窗受理", "租赁备案",
  "村居委会", "村委会", "居委会", "12366", "报废退税", "万分之五", "境外演员", "文化部门", "非税收入",
];

/** Every word of the user dictionary, deduplicated, in a stable order. */
export function userDictionaryWords(): string[] {
  const words = new Set<string>();
  for (const w of TAX_TERMS) words.add(w);
  for (const group of CORE_SYNONYM_GROUPS) for (const w of group) if ([...w].length >= 2) words.add(w);
  return [...words];
}
