"""Hugging Face Trainer: a tiny ``ResNetForImageClassification`` built from a ``ResNetConfig``
(HF's own ResNet, no download, no torchvision: stem 16, basic blocks, stages 16 / 32 / 64 of
depth 1, BatchNorm, 80 k weights) sorts synthetic 32×32 colour images into 4 shapes (disc,
square, triangle, ring) of random size (radius 6–11), position and colour (a light colour
on a dark one) over pixel noise; 5 % of the training labels are wrong (a careless
annotator), the eval labels are clean. Pixels scaled to [0, 1] and normalised per channel
with the training mean / std.
AdamW 3e-3, weight decay 0.01, 20 warm-up steps then linear decay, batch 32, 5 epochs over
2 000 images, eval every 25 steps, train loss logged every 10 steps, ``checkpoint-315/`` with
``trainer_state.json``. Healthy: eval accuracy 0.9975 and eval loss 0.056 at the end; the
train loss stays near 0.22–0.27, well above the eval loss (the wrong training labels cost
~0.2 nats a sample, the eval set has none), and the eval loss jumps about in the middle of
the run (0.10 → 0.18 → 0.07 between evaluations: BatchNorm's running statistics at a high
learning rate) before it settles as the learning rate decays."""
import math

import torch
from transformers import ResNetConfig, ResNetForImageClassification, Trainer, TrainingArguments

SIZE, SHAPES = 32, 4


def images(n, g, noise_labels):
    yy, xx = torch.meshgrid(torch.arange(SIZE).float(), torch.arange(SIZE).float(),
                            indexing="ij")
    y = torch.randint(0, SHAPES, (n,), generator=g)
    img = torch.zeros(n, 3, SIZE, SIZE)
    for i in range(n):
        r = 6 + 5 * torch.rand(1, generator=g).item()
        cx, cy = (r + (SIZE - 2 * r) * torch.rand(2, generator=g)).tolist()
        dx, dy = xx - cx, yy - cy
        if y[i] == 0:
            mask = dx ** 2 + dy ** 2 <= r ** 2
        elif y[i] == 1:
            mask = (dx.abs() <= r * 0.85) & (dy.abs() <= r * 0.85)
        elif y[i] == 2:
            mask = (dy <= r * 0.8) & (dy >= -r) & (dx.abs() <= (dy + r) / math.sqrt(3))
        else:
            d = (dx ** 2 + dy ** 2).sqrt()
            mask = (d <= r) & (d >= r * 0.55)
        bg = 0.45 * torch.rand(3, generator=g)
        fg = 0.55 + 0.45 * torch.rand(3, generator=g)
        img[i] = torch.where(mask, fg[:, None, None], bg[:, None, None])
    img = (img + 0.08 * torch.randn(n, 3, SIZE, SIZE, generator=g)).clamp(0, 1)
    if noise_labels:
        flip = torch.rand(n, generator=g) < 0.05
        y = torch.where(flip, (y + torch.randint(1, SHAPES, (n,), generator=g)) % SHAPES, y)
    return img, y


class Shapes(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"pixel_values": self.x[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = ResNetConfig(num_channels=3, embedding_size=16, hidden_sizes=[16, 32, 64],
                          depths=[1, 1, 1], layer_type="basic", num_labels=SHAPES,
                          id2label={0: "disc", 1: "square", 2: "triangle", 3: "ring"},
                          label2id={"disc": 0, "square": 1, "triangle": 2, "ring": 3})
    return ResNetForImageClassification(config)


def accuracy(pred):
    return {"accuracy": float((pred.predictions.argmax(-1) == pred.label_ids).mean())}


def main():
    from _thirtyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = images(2000, g, noise_labels=True)
    xva, yva = images(400, g, noise_labels=False)
    mean, std = xtr.mean((0, 2, 3), keepdim=True), xtr.std((0, 2, 3), keepdim=True)
    xtr, xva = (xtr - mean) / std, (xva - mean) / std
    args = TrainingArguments(str(out / "shapes"), num_train_epochs=5, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=20, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=200,
                             logging_steps=10, eval_strategy="steps", eval_steps=25,
                             save_strategy="steps", save_steps=25, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Shapes(xtr, ytr),
                      eval_dataset=Shapes(xva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "shapes").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny HF ResNet (from ResNetConfig) on synthetic shape images, HF Trainer, "
                "5 % wrong training labels (healthy)")


if __name__ == "__main__":
    main()
