"""Hugging Face Trainer: a tiny MobileNetV2 (``MobileNetV2ForImageClassification`` from a
``MobileNetV2Config``: depth multiplier 0.25, min depth 8, 24×24 RGB input, ~160 k parameters,
built from the config, no pre-training, no download) grades strawberries on a picking robot's
gripper camera into unripe (white-green) / turning (red tip, pale shoulders) / ripe (red all
over) / grey mould (dull red with grey fuzzy patches). A fruit is a cone-like ellipse with
yellow seeds, at a random place, size and tilt, in front of leaves or straw, under varying sun;
camera noise. 5 % of the training labels are wrong (the pickers' tablet clicks). AdamW 3e-3,
weight decay 0.01, 12 warm-up steps then linear decay, batch 32, 5 epochs of 768 crops (120
steps), eval every 24 steps (once an epoch), train loss every 6 steps; ``checkpoint-120/``.
Healthy, with a rough start: the first logged grad norms are 569 and 185 and the train loss
goes *up* (1.42 → 1.75) during warm-up; eval loss 2.29 (accuracy 0.50) after epoch 1, 1.35
(0.54) after epoch 2, then 0.24 (0.93), a dip to 0.51 (0.86) and 0.18 (0.949) at step 120, below
the train loss 0.37–0.61 of the last epoch (the wrong labels only sit in training)."""
import math

import torch
from transformers import (
    MobileNetV2Config,
    MobileNetV2ForImageClassification,
    Trainer,
    TrainingArguments,
)

S = 24
GRADES = ["unripe", "turning", "ripe", "grey_mould"]


def crops(n, g, flip=0.0):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    y = torch.randint(0, 4, (n,), generator=g)
    x = torch.zeros(n, 3, S, S)
    for i in range(n):
        r = lambda: float(torch.rand(1, generator=g))  # noqa: E731
        straw = r() < 0.4
        bg = torch.tensor([0.75, 0.65, 0.35] if straw else [0.15, 0.45, 0.12])[:, None, None]
        img = bg * (0.8 + 0.3 * torch.rand(1, S, S, generator=g))
        cy, cx = 9 + 6 * r(), 9 + 6 * r()
        a, b = 5 + 3 * r(), 4 + 2 * r()
        th = (r() - 0.5) * 0.8
        u = (xx - cx) * math.cos(th) + (yy - cy) * math.sin(th)
        v = -(xx - cx) * math.sin(th) + (yy - cy) * math.cos(th)
        w = b * (1 - 0.35 * (v / a).clamp(-1, 1))  # wider at the shoulder (top)
        inside = (u / w) ** 2 + (v / a) ** 2 < 1
        k = int(y[i])
        tip = ((v / a).clamp(-1, 1) + 1) / 2  # 0 at the shoulder, 1 at the tip
        red = torch.stack([0.8 + 0 * tip, 0.08 + 0 * tip, 0.1 + 0 * tip])
        pale = torch.stack([0.85 + 0 * tip, 0.9 + 0 * tip, 0.65 + 0 * tip])
        if k == 0:
            fruit = pale * (0.9 + 0.1 * tip)
        elif k == 1:
            m = (tip > 0.35 + 0.3 * r()).float()
            fruit = red * m + pale * (1 - m)
        elif k == 2:
            fruit = red * (0.85 + 0.15 * r())
        else:
            fruit = red * 0.6 + 0.1
            for _ in range(2 + int(3 * r())):
                py, px = cy + (r() - 0.5) * 2 * a * 0.7, cx + (r() - 0.5) * 2 * b * 0.7
                spot = ((yy - py) ** 2 + (xx - px) ** 2) < 3 + 4 * r()
                fruit = torch.where(spot, torch.full_like(fruit, 0.62), fruit)
        seeds = (torch.rand(S, S, generator=g) < 0.12) & inside
        fruit = torch.where(seeds, torch.tensor([0.9, 0.8, 0.2])[:, None, None], fruit)
        img = torch.where(inside, fruit, img)
        sun = 0.7 + 0.6 * r()
        x[i] = (img * sun).clamp(0, 1)
    x = x + 0.04 * torch.randn(x.shape, generator=g)
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, (y + torch.randint(1, 4, (n,), generator=g)) % 4, y)
    return (x - 0.45) / 0.3, y


class Crops(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"pixel_values": self.x[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = MobileNetV2Config(num_channels=3, image_size=S, depth_multiplier=0.25, min_depth=8,
                               classifier_dropout_prob=0.1, num_labels=4,
                               id2label=dict(enumerate(GRADES)),
                               label2id={k: i for i, k in enumerate(GRADES)})
    return MobileNetV2ForImageClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _hundredfourteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = crops(768, g, flip=0.05)
    xva, yva = crops(256, g)
    args = TrainingArguments(str(out / "strawberry_mnv2"), num_train_epochs=5, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=12, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=256,
                             logging_steps=6, eval_strategy="steps", eval_steps=24,
                             save_strategy="steps", save_steps=60, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Crops(xtr, ytr),
                      eval_dataset=Crops(xva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "strawberry_mnv2").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny MobileNetV2 strawberry ripeness grader, HF Trainer, 5 % label noise (healthy)")


if __name__ == "__main__":
    main()
