"""Chat lines that name no symptom (setup facts, thanks, questions), English and Chinese.

Written by hand for issue 10 item 11 as a check on matching: a change that lets more
complaints through must not make these match a symptom. Used by bench/complaints.py.
"""

NEUTRAL: tuple[str, ...] = (
    "hi", "hello, can you help me?", "thanks, that helps", "ok I will try that",
    "I'm using PyTorch 2.2 with CUDA 12.1",
    "the model is a ResNet-50 pretrained on ImageNet",
    "batch size is 32 and I use Adam with default betas",
    "the dataset has 10 classes and 50k images",
    "I train on 4 GPUs with DDP",
    "here is my training script",
    "what does this mean?",
    "I use a cosine schedule with 5 warmup epochs",
    "inputs are normalised to zero mean and unit variance",
    "the images are 224x224 RGB",
    "I save a checkpoint every epoch",
    "my model has three conv layers and two linear layers",
    "I'm training a transformer for translation",
    "the labels come from a CSV file",
    "I ran it for 100 epochs overnight",
    "let me check and get back to you",
    "weight decay is 1e-4",
    "it is a binary classification task",
    "I followed the official PyTorch tutorial for the data loader",
    "what should I look at next?",
    "谢谢", "好的，我试一下", "你好，请帮我看看",
    "我用的是 PyTorch 2.1",
    "数据集是 CIFAR-10",
    "batch size 设的是 64",
    "优化器用的 Adam",
    "一共训练了 100 个 epoch",
    "模型是 ResNet-18",
    "输入图片是 224 乘 224",
    "我在 4 张卡上训练",
    "这是我的训练代码",
    "用了余弦退火学习率",
    "每个 epoch 保存一次模型",
    "这是一个二分类任务",
    "标签是从 csv 里读的",
)
