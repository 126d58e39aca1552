/**
 * The search vocabulary that core ships: groups of words that mean the same to the people who
 * search (the office's own words next to the law's), and the filler words of questions. Trainers
 * extend the synonyms in the database (KnowledgeSynonym); these groups are the base everyone gets.
 *
 * What must stay true: every entry is simplified Chinese or lower-case Latin, as the search
 * normaliser produces (traditional, full-width and upper-case input is folded before matching);
 * a group names one thing, so that adding a word never changes what the other words find.
 */
export const CORE_SYNONYM_GROUPS: readonly (readonly string[])[] = [
  // property: the office's words and the law's
  ["二手房", "存量房", "二手住房", "旧房", "卖房", "买卖房屋"],
  ["过户", "权属转移登记", "转移登记", "产权转移", "房产过户", "权属变更"],
  ["房子", "住房", "房屋", "住宅"],
  ["买房", "购房", "买房子", "承受", "购买住房"],
  ["首套房", "首套", "第一套房", "首套住房"],
  ["房产证", "不动产权证", "不动产登记", "办证", "产权证"],
  ["继承", "遗产", "继承房产"],
  ["赠与", "赠送", "送房"],
  ["离婚", "离婚分房", "分割房产"],
  ["土增税", "土地增值税"],
  ["土地使用税", "城镇土地使用税"],
  ["房产税", "房屋税"],
  // rental housing
  ["出租", "租房", "租出去", "租给", "租出", "出租房屋", "租赁", "出租屋"],
  ["房东", "出租人", "业主"],
  ["租客", "承租人", "租户", "外来人口", "外地人"],
  ["租金", "房租"],
  // vehicles
  ["年检", "定期检验", "车辆检验", "年审", "验车"],
  ["车船税", "车船使用税", "车辆税", "车税"],
  ["交强险", "交通强制险", "车险", "强制保险"],
  ["新能源车", "电动车", "电车", "纯电动", "新能源汽车"],
  ["摩托车", "摩托", "电摩"],
  ["报废", "报废车"],
  ["交警", "车管所", "交管", "交通管理部门"],
  ["车牌", "号牌", "车牌号"],
  ["车架号", "vin", "识别代号"],
  // proofs and channels
  ["完税证明", "完税凭证", "纳税证明", "交税证明", "缴税证明", "完税"],
  ["免税证明", "减免税证明", "减免税凭证", "免税凭证"],
  ["电子税务局", "网上办税", "网上交税", "网上申报", "网上缴税"],
  ["办税服务厅", "税务大厅", "办税大厅", "税务窗口"],
  ["个税app", "个人所得税app", "个税软件"],
  ["12366", "纳税服务热线", "税务热线"],
  ["税务局", "税务机关", "国税", "地税", "国地税"],
  // taxes by their short names
  ["个税", "个人所得税"],
  ["城建税", "城市维护建设税"],
  ["教育费附加", "教育附加", "地方教育附加"],
  ["营业税", "营改增"],
  ["小规模", "小规模纳税人", "个体户", "个体工商户"],
  ["资源税", "矿产"],
  ["采砂", "挖沙", "采沙", "砂石", "沙石", "挖砂"],
  ["水资源税", "取水", "抽水"],
  ["占地", "占用耕地", "耕地占用", "占耕地"],
  ["盖房", "建房", "盖房子", "农村建房", "建住宅", "宅基地"],
  // wages and withholding
  ["工资", "工资薪金", "薪金", "薪水", "工钱", "发工资"],
  ["扣税", "代扣代缴", "预扣预缴", "扣缴", "代扣"],
  ["劳务费", "劳务报酬", "报酬"],
  ["稿费", "稿酬"],
  ["中奖", "偶然所得", "彩票", "奖品"],
  ["分红", "股息红利", "红利", "股息"],
  ["年度汇算", "汇算清缴", "个税汇算", "退个税"],
  ["专项附加扣除", "专项扣除"],
  ["手续费", "代扣手续费", "返还手续费"],
  ["罚款", "处罚", "罚钱", "法律责任"],
  ["滞纳金", "罚息", "逾期"],
  ["补缴", "补交", "补税"],
  ["欠税", "欠缴", "漏交", "没交税"],
  ["免税", "减免", "免征", "不用交", "免交"],
  // performances and venues
  ["演出", "表演", "演唱会", "文艺演出", "营业性演出", "晚会"],
  ["演员", "艺人", "演出人员", "歌手"],
  ["境外演员", "外籍演员", "外国演员", "非居民个人", "港澳台演员"],
  ["场馆", "剧院", "体育馆", "演出场所", "剧场"],
  ["事前报告", "提前报告", "演出前报告", "报备"],
  // construction and invoices
  ["施工", "建筑施工", "建筑服务", "工地", "建筑工程"],
  ["工程款", "工程价款", "付款"],
  ["发票", "开票", "票据", "数电票"],
  ["假发票", "虚开发票", "虚开", "买发票"],
  ["代开发票", "代开"],
  ["跨区域", "外地施工", "异地施工"],
  // the collaborators' own duties
  ["举报", "检举", "告发", "揭发"],
  ["举报奖励", "检举奖励", "奖励"],
  ["保密", "泄密", "泄露", "隐私", "个人信息", "外传"],
  ["报送", "上报", "报告", "报给税务局"],
  ["委托代征", "代征", "代收税款"],
  ["收税", "征税", "税款征收", "收取税款", "征收税款"],
  ["期限", "什么时候交", "什么时候缴", "截止日期", "申报期限", "几号之前"],
  ["代收代缴", "代收"],
  ["村委会", "村委", "居委会", "社区", "村居委会"],
  ["先税后证", "先完税后登记"],
  ["解释", "沟通", "说明", "劝说"],
  ["合同", "协议"],
];

/**
 * Filler words of questions (没有…能…吗, 要交啥税, 怎么办). They are dropped from queries before
 * matching, and split the query so that no character bigram spans them. Never add a word that names
 * a thing (税, 房, 车, 报): those carry the meaning of short questions.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  "没有", "有没有", "没", "能", "能不能", "能否", "可以", "可不可以", "可否", "行不行", "行吗",
  "吗", "呢", "吧", "啊", "呀", "嘛", "哦", "哈", "么", "啦", "哇",
  "怎么", "怎么办", "怎么样", "怎样", "如何", "咋", "咋办", "咋整", "怎么弄", "怎么搞", "为啥", "为什么",
  "哪些", "哪个", "哪里", "哪儿", "哪", "啥", "什么", "什么样", "什么时候", "何时", "多少", "几", "多久", "多长时间",
  "需要", "需不需要", "要", "要不要", "得", "该", "应该", "应当", "必须", "一定", "用不用",
  "是不是", "是否", "是", "不是", "的", "地", "了", "着", "过", "和", "与", "及", "或", "或者", "还是",
  "我", "我们", "有人", "别人", "咱", "咱们", "你", "你们", "您", "他", "她", "它", "他们", "人家", "自己",
  "请问", "问", "问一下", "一下", "想", "想问", "想知道", "知道", "请", "帮", "帮忙", "麻烦",
  "这个", "那个", "这", "那", "这种", "那种", "这样", "那样", "这些", "那些", "有个", "一个", "个",
  "都", "也", "还", "就", "会", "在", "给", "把", "被", "去", "来", "到", "对", "有", "做", "搞", "弄",
  "交", "办", "的话", "如果", "要是", "但是", "可是", "所以", "因为", "然后", "现在", "今年", "已经",
  "不", "没事", "行", "好", "谁", "呐", "吗?", "么样",
  // greetings and thanks: a chat that says only this is not a question
  "你好", "您好", "谢谢", "多谢", "在吗", "在不在", "好的", "嗯", "哈喽", "早上好", "晚上好", "hello", "hi",
]);

/**
 * The words synonym groups add to a query. A group is touched when one of its words is a token of
 * the query (jieba's accurate cut, so 房产 does not fire inside 房产税, nor 出租 inside 出租车) or,
 * for words of three or more characters, occurs anywhere in it. Every other word of a touched group
 * is added. `groups` are core's plus the trainers'.
 */
export function synonymExpansions(normalisedQuery: string, tokens: readonly string[], groups: readonly (readonly string[])[]): string[] {
  const tokenSet = new Set(tokens);
  const added = new Set<string>();
  for (const group of groups) {
    if (!group.some((w) => w && (tokenSet.has(w) || ([...w].length >= 3 && normalisedQuery.includes(w))))) continue;
    for (const w of group) if (!tokenSet.has(w) && !normalisedQuery.includes(w)) added.add(w);
  }
  return [...added];
}
