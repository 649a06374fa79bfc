"""AI and enabling technologies that suppliers can tag their solutions with.

Each entry: {"slug", "name_zh", "name_en"}.
"""

from typing import Dict, Tuple

TECHNOLOGIES: Tuple[Dict[str, str], ...] = (
    {"slug": "machine-vision", "name_zh": "机器视觉", "name_en": "Machine Vision"},
    {"slug": "3d-vision", "name_zh": "3D视觉", "name_en": "3D Vision"},
    {"slug": "large-language-model", "name_zh": "大语言模型", "name_en": "Large Language Models"},
    {"slug": "multimodal-model", "name_zh": "多模态大模型", "name_en": "Multimodal Foundation Models"},
    {"slug": "generative-ai", "name_zh": "生成式AI", "name_en": "Generative AI"},
    {"slug": "cad-generative-design", "name_zh": "计算机辅助设计与生成式设计",
     "name_en": "CAD and Generative Design"},
    {"slug": "nlp", "name_zh": "自然语言处理", "name_en": "Natural Language Processing"},
    {"slug": "knowledge-graph", "name_zh": "知识图谱", "name_en": "Knowledge Graphs"},
    {"slug": "speech", "name_zh": "语音识别与合成", "name_en": "Speech Recognition and Synthesis"},
    {"slug": "digital-human", "name_zh": "数字人", "name_en": "Digital Humans"},
    {"slug": "digital-twin", "name_zh": "数字孪生", "name_en": "Digital Twins"},
    {"slug": "simulation", "name_zh": "仿真（CAE）", "name_en": "Simulation (CAE)"},
    {"slug": "time-series-forecasting", "name_zh": "时序预测", "name_en": "Time-Series Forecasting"},
    {"slug": "optimization", "name_zh": "运筹优化与强化学习",
     "name_en": "Operations Research and Reinforcement Learning"},
    {"slug": "industrial-robot", "name_zh": "工业机器人", "name_en": "Industrial Robots"},
    {"slug": "collaborative-robot", "name_zh": "协作机器人", "name_en": "Collaborative Robots"},
    {"slug": "mobile-robot", "name_zh": "移动机器人（AGV/AMR）",
     "name_en": "Mobile Robots (AGV/AMR)"},
    {"slug": "embodied-ai", "name_zh": "具身智能与人形机器人",
     "name_en": "Embodied AI and Humanoid Robots"},
    {"slug": "drone", "name_zh": "无人机", "name_en": "Drones"},
    {"slug": "edge-computing", "name_zh": "边缘计算", "name_en": "Edge Computing"},
    {"slug": "industrial-iot", "name_zh": "工业物联网", "name_en": "Industrial IoT"},
    {"slug": "5g-private-network", "name_zh": "5G专网", "name_en": "5G Private Networks"},
    {"slug": "spectral-analysis", "name_zh": "光谱分析", "name_en": "Spectral Analysis"},
    {"slug": "ar-vr", "name_zh": "增强现实与虚拟现实（AR/VR）",
     "name_en": "Augmented and Virtual Reality (AR/VR)"},
    {"slug": "blockchain-traceability", "name_zh": "区块链溯源",
     "name_en": "Blockchain Traceability"},
    {"slug": "big-data-analytics", "name_zh": "工业大数据分析",
     "name_en": "Industrial Big Data Analytics"},
    {"slug": "ai-agent", "name_zh": "智能体", "name_en": "AI Agents"},
)
