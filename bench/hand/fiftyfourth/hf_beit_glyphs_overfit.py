"""Hugging Face Trainer: a BEiT image classifier (``BeitForImageClassification`` from a
``BeitConfig``, no download: image 32, patch 8 → 16 patches, hidden 128, 4 layers, 4 heads,
intermediate 512, mean-pooled head: 0.82 M parameters) on synthetic 32×32 RGB images of 4
classes: a class-specific oriented grating (amplitude 0.5) under a random colour cast, a random
smooth blob and pixel noise σ 0.5; 10 % of the tags are wrong. AdamW 5e-4, constant lr, batch
16, eval every 20 steps on 200 images, train loss logged every 5 steps, a checkpoint every 40.
Bug: only the 96 images labelled so far are used for training, with every dropout and the
weight decay set to 0 and 60 epochs (360 steps), keeping the last checkpoint: 0.82 M
parameters for 96 images. The eval loss is lowest at epoch 10 (0.682, step 60) and climbs
steadily to 1.012 while the training loss goes to 0.0012 (the 10 % wrong tags memorised too).
The control: the same model with hidden/attention dropout 0.1, weight decay 0.05 and 10 epochs
(eval loss 0.707, accuracy 0.825; the overfit run's accuracy stays at 0.87 — its loss, i.e.
its confidence on the eval images, is what degrades)."""
import math

import torch
from transformers import BeitConfig, BeitForImageClassification, Trainer, TrainingArguments

SIDE, CLASSES = 32, 4
OVERFIT = True  # the bug: False (dropout 0.1, weight decay 0.05, 10 epochs) is the control


def images(n, g):
    y = torch.randint(0, CLASSES, (n,), generator=g)
    rr, cc = torch.meshgrid(torch.arange(SIDE).float(), torch.arange(SIDE).float(),
                            indexing="ij")
    theta = y.float() * math.pi / CLASSES
    phase = torch.rand(n, generator=g) * 2 * math.pi
    grating = 0.5 * torch.sin(0.9 * (rr[None] * torch.cos(theta)[:, None, None]
                                      + cc[None] * torch.sin(theta)[:, None, None])
                               + phase[:, None, None])
    cast = torch.randn(n, 3, 1, 1, generator=g) * 0.3
    blob_c = torch.rand(n, 2, generator=g) * SIDE
    blob = torch.exp(-((rr[None] - blob_c[:, 0, None, None]) ** 2
                       + (cc[None] - blob_c[:, 1, None, None]) ** 2) / 60)
    x = grating[:, None] + cast + blob[:, None] * torch.randn(n, 3, 1, 1, generator=g)
    flip = torch.rand(n, generator=g) < 0.1                 # 10 % of the tags are wrong
    y = torch.where(flip, (y + torch.randint(1, CLASSES, (n,), generator=g)) % CLASSES, y)
    return x + 0.5 * torch.randn(n, 3, SIDE, SIDE, generator=g), y


class Images(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"pixel_values": self.x[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    drop = 0.0 if OVERFIT else 0.1
    config = BeitConfig(image_size=SIDE, patch_size=8, num_channels=3, num_labels=CLASSES,
                        hidden_size=128, num_hidden_layers=4, num_attention_heads=4,
                        intermediate_size=512, hidden_dropout_prob=drop,
                        attention_probs_dropout_prob=drop, use_mean_pooling=True,
                        drop_path_rate=0.0)
    return BeitForImageClassification(config)


def accuracy(pred):
    return {"accuracy": float((pred.predictions.argmax(-1) == pred.label_ids).mean())}


def main():
    from _fiftyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = images(296, g)
    train, val = Images(x[:96], y[:96]), Images(x[96:], y[96:])
    args = TrainingArguments(str(out / "beit"), num_train_epochs=60 if OVERFIT else 10,
                             learning_rate=5e-4, weight_decay=0.0 if OVERFIT else 0.05,
                             lr_scheduler_type="constant", per_device_train_batch_size=16,
                             per_device_eval_batch_size=200, logging_steps=5,
                             eval_strategy="steps", eval_steps=20, save_strategy="steps",
                             save_steps=40, save_total_limit=1, report_to=[], use_cpu=True,
                             disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=train, eval_dataset=val,
                      compute_metrics=accuracy)
    trainer.train()
    for rec in trainer.state.log_history:
        if "eval_loss" in rec:
            print(rec["step"], round(rec["eval_loss"], 4), round(rec["eval_accuracy"], 4))
    last = max((out / "beit").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": x[96:160], "targets": y[96:160]},
           causes=["overfitting"], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="HF BEiT image classifier, 0.82 M params on 96 training images, no "
                "regularisation, 60 epochs",
           complaint="BEiT on our 4 pattern classes: the training loss is basically zero "
                     "(0.001) but the eval loss has been going UP since around epoch 10 (0.68 -> "
                     "1.01) and eval accuracy stopped improving at 0.87. I kept the last "
                     "checkpoint. Should I just train even longer?")


if __name__ == "__main__":
    main()
