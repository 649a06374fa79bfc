"""What each Guangdong pillar industry makes, from what, how, and where its clusters sit.

Keys are industry codes of ``catalog_app.taxonomy.data.industries``. ``regions`` lists
(admin code, weight) of the real clusters: 花都 leather and cosmetics, 顺德 appliances,
古镇 (中山) lighting, 澄海 toys ... Items are "|"-separated to keep the lists compact.
"""

INDUSTRY_PROFILES = {
    "leather-goods": dict(
        short="皮具", label="皮具箱包", products="手袋|钱包|拉杆箱|双肩包|皮带|公文包",
        materials="头层牛皮|PU革|超纤革|帆布|羊皮", processes="裁断|片皮|铲边|车缝|油边|五金装配",
        defects="皮面划痕|褶皱|色差|针距不齐|跳针断线|油边溢胶|五金刮花", company_words="皮具|皮革制品|箱包|手袋",
        regions=[("440114", 8), ("440111", 2), ("441900", 1)]),
    "cosmetics": dict(
        short="化妆品", label="美妆日化", products="面霜|精华液|洗发水|口红|香水|香精",
        materials="表面活性剂|植物提取物|香料|乳化剂", processes="称量配料|乳化均质|灌装|贴标|包装",
        defects="漏液|标签歪斜|喷码缺失|瓶身划伤|膏体分层", company_words="化妆品|日化|生物科技|香精香料",
        regions=[("440111", 5), ("440114", 5), ("440112", 1)]),
    "auto-parts": dict(
        short="汽车零部件", label="汽车零部件", products="冲压件|座椅骨架|线束|制动盘|内饰件|铝合金轮毂",
        materials="高强钢|铝合金|工程塑料", processes="冲压|焊接|压铸|注塑|涂装|总成装配",
        defects="开裂|起皱|焊点虚焊|气孔|毛刺|漆面颗粒", company_words="汽车零部件|汽车部件|精密机械|汽配",
        regions=[("440114", 4), ("440113", 2), ("440115", 2), ("440112", 2), ("440605", 2), ("441204", 1)]),
    "new-energy-vehicles": dict(
        short="新能源汽车", label="新能源汽车", products="动力电池包|电驱总成|车身结构件|电控单元",
        materials="电芯|铝型材|铜排", processes="焊装|涂装|总装|电池模组装配|下线检测",
        defects="焊缝缺陷|涂胶断胶|螺栓漏拧|间隙面差超差", company_words="新能源汽车|汽车科技|动力系统",
        regions=[("440113", 3), ("440310", 3), ("441204", 2), ("440112", 1)]),
    "smart-equipment": dict(
        short="装备", label="智能装备", products="数控机床|注塑机|包装机械|激光切割机|自动化产线",
        materials="铸件|钣金件|伺服电机|导轨", processes="机加工|钣金|装配|调试|出厂检验",
        defects="尺寸超差|装配干涉|异响|漏油", company_words="智能装备|机械设备|自动化设备|精工",
        regions=[("440606", 4), ("440112", 2), ("441900", 3), ("440114", 2)]),
    "robotics": dict(
        short="机器人", label="机器人", products="工业机器人|协作机器人|减速器|伺服驱动器|AGV小车",
        materials="谐波减速器|编码器|铝合金结构件", processes="关节装配|整机标定|老化测试|出厂检验",
        defects="精度漂移|装配间隙|异响", company_words="机器人|智能机器人|自动化",
        regions=[("440305", 4), ("440606", 3), ("441900", 2), ("440112", 1)]),
    "textiles-apparel": dict(
        short="服装", label="纺织服装", products="牛仔服装|针织面料|女装|运动服|内衣",
        materials="棉纱|涤纶|弹力面料|辅料", processes="织造|印染|裁床|缝制|整烫|包装",
        defects="断纱|色差|污渍|跳针|破洞", company_words="服饰|纺织|制衣|面料",
        regions=[("440105", 3), ("440605", 2), ("440514", 2), ("442000", 2), ("440118", 2)]),
    "electronics": dict(
        short="电子", label="电子信息", products="PCB板|手机玻璃盖板|摄像头模组|消费电子整机|连接器|电源适配器",
        materials="覆铜板|电子元器件|锡膏|盖板玻璃", processes="SMT贴片|回流焊|CNC精雕|抛光|组装|功能测试",
        defects="少锡|连锡|虚焊|立碑|划痕|崩边|麻点|脏污", company_words="电子|电子科技|精密电子|通讯",
        regions=[("440306", 4), ("440307", 3), ("440309", 2), ("441900", 4), ("441302", 2)]),
    "semiconductors": dict(
        short="半导体", label="半导体与集成电路", products="晶圆|功率器件|芯片封装|引线框架",
        materials="硅片|光刻胶|键合丝", processes="光刻|刻蚀|封装|键合|测试",
        defects="颗粒污染|崩边|键合不良|图形缺陷", company_words="半导体|微电子|芯片",
        regions=[("440305", 3), ("440112", 3), ("440402", 2), ("440311", 1)]),
    "home-appliances": dict(
        short="家电", label="家用电器", products="空调|冰箱|电饭煲|小家电|热水器|洗碗机",
        materials="钣金|注塑件|压缩机|电机", processes="钣金冲压|注塑|两器焊接|总装|性能检测",
        defects="外观划伤|缝隙不均|泄漏|噪音超标", company_words="电器|家电|厨电|智能家居",
        regions=[("440606", 6), ("442000", 2), ("440402", 2), ("441900", 1)]),
    "lighting": dict(
        short="灯饰", label="照明灯饰", products="LED灯具|吸顶灯|商业照明|户外灯",
        materials="LED灯珠|铝基板|驱动电源", processes="贴片|老化|组装|配光测试",
        defects="灯珠不亮|色温偏差|外壳刮花", company_words="照明|灯饰|光电",
        regions=[("442000", 6), ("440700", 2), ("440300", 1)]),
    "new-energy-storage": dict(
        short="储能", label="新能源与储能", products="锂电池电芯|储能柜|光伏逆变器|电池管理系统",
        materials="正极材料|隔膜|电解液|铝壳", processes="涂布|辊压|卷绕|注液|化成分容",
        defects="极片褶皱|漏金属|焊缝气孔|电芯鼓包", company_words="新能源|储能科技|电池",
        regions=[("440306", 3), ("441302", 2), ("441900", 2), ("440403", 1)]),
    "furniture": dict(
        short="家具", label="家具", products="定制衣柜|板式家具|实木家具|办公家具|沙发",
        materials="刨花板|实木|五金配件|海绵", processes="开料|封边|排钻|打磨|油漆|包装",
        defects="崩边|封边脱胶|漆面橘皮|孔位偏差", company_words="家具|家居|定制家居",
        regions=[("440606", 5), ("441900", 3), ("440111", 2)]),
    "food-beverage": dict(
        short="食品", label="食品饮料", products="调味品|饮料|烘焙食品|凉茶|休闲零食",
        materials="原辅料|包材|香精", processes="配料|发酵|灌装|杀菌|包装",
        defects="异物|封口不良|液位不足|标签错贴", company_words="食品|饮料|调味品",
        regions=[("440100", 2), ("440600", 2), ("440705", 2), ("445103", 1), ("440500", 1)]),
    "pharma": dict(
        short="医药", label="生物医药", products="中成药|原料药|口服固体制剂|生物制剂",
        materials="药材|辅料|培养基", processes="提取|制粒|压片|包衣|无菌灌装",
        defects="片重差异|裂片|可见异物|包装缺失", company_words="药业|生物医药|制药",
        regions=[("440112", 4), ("440402", 1), ("442000", 2)]),
    "medical-devices": dict(
        short="医疗器械", label="医疗器械", products="监护仪|体外诊断试剂|超声设备|一次性耗材",
        materials="医用高分子|电子元器件|试剂原料", processes="注塑|组装|灭菌|校准|检验",
        defects="毛刺|密封不良|标识错误", company_words="医疗器械|医疗科技|生命科学",
        regions=[("440305", 3), ("440112", 3), ("440402", 1)]),
    "ceramics-building-materials": dict(
        short="陶瓷", label="陶瓷建材", products="瓷砖|卫浴洁具|岩板|日用陶瓷",
        materials="瓷土|釉料|色料", processes="球磨|压制成型|施釉|窑炉烧成|抛光分级",
        defects="裂纹|针孔|色差|缺釉|变形", company_words="陶瓷|建材|卫浴",
        regions=[("440604", 3), ("440605", 3), ("445102", 2), ("441204", 1)]),
    "hardware": dict(
        short="五金", label="五金制品", products="刀剪|厨具|门锁|紧固件|五金配件",
        materials="不锈钢|碳钢|锌合金", processes="冲压|锻造|研磨|热处理|表面处理",
        defects="划痕|凹坑|毛刺|尺寸超差|电镀不良", company_words="五金|金属制品|精密五金",
        regions=[("440700", 3), ("441700", 3), ("441900", 2), ("440605", 2)]),
    "plastics": dict(
        short="塑料", label="塑料制品", products="注塑件|家电塑胶外壳|汽车内饰注塑件|包装膜|塑料容器",
        materials="PP|ABS|PE|改性料", processes="注塑|吹塑|挤出|模具维护",
        defects="缺料|飞边|缩痕|银纹|黑点|熔接痕", company_words="塑胶|塑料制品|高分子材料",
        regions=[("441900", 3), ("445200", 2), ("440500", 2)]),
    "toys": dict(
        short="玩具", label="玩具", products="塑胶玩具|毛绒玩具|模型手办|益智玩具",
        materials="ABS|PVC|毛绒面料", processes="注塑|喷油|移印|组装|包装",
        defects="喷油不均|移印偏位|零件缺失|毛边", company_words="玩具|文创|实业",
        regions=[("440515", 6), ("441900", 2)]),
    "jewelry": dict(
        short="珠宝", label="珠宝首饰", products="黄金饰品|K金首饰|镶嵌首饰|银饰",
        materials="黄金|K金|宝石|银", processes="起版|倒模|执模|镶石|抛光",
        defects="砂眼|镶石松动|抛光不良", company_words="珠宝|首饰|金饰",
        regions=[("440303", 5), ("440113", 3)]),
    "petrochemicals": dict(
        short="石化", label="绿色石化", products="乙烯|芳烃|合成树脂|成品油",
        materials="原油|石脑油|催化剂", processes="常减压|催化裂化|加氢|聚合|储运",
        defects="指标不合格|非计划停工|泄漏", company_words="石化|化工|新材料",
        regions=[("440800", 3), ("440900", 3), ("441300", 2), ("445200", 1)]),
    "precision-instruments": dict(
        short="仪器", label="精密仪器设备", products="检测仪器|传感器|光学仪器|计量设备",
        materials="光学元件|传感芯片|精密结构件", processes="精密加工|装调|标定|老化测试",
        defects="零点漂移|装调偏差|外观瑕疵", company_words="仪器|精密仪器|测控技术",
        regions=[("440305", 3), ("440106", 2), ("440112", 2)]),
}

# Industries an enterprise (demand side) is drawn from, weighted: 花都's four pillars and
# the Pearl River Delta's electronics and appliances dominate.
ENTERPRISE_INDUSTRY_WEIGHTS = {
    "leather-goods": 9, "cosmetics": 9, "auto-parts": 9, "smart-equipment": 6,
    "electronics": 8, "home-appliances": 7, "textiles-apparel": 5, "new-energy-vehicles": 4,
    "furniture": 4, "food-beverage": 3, "new-energy-storage": 3, "hardware": 3, "plastics": 4,
    "lighting": 2, "ceramics-building-materials": 2, "pharma": 2, "medical-devices": 2,
    "robotics": 2, "semiconductors": 2, "toys": 2, "jewelry": 1, "petrochemicals": 1,
    "precision-instruments": 1,
}
