"""Hugging Face Trainer: a tiny FocalNet image classifier (``FocalNetConfig``: 24 x 24 single
channel, patch 2, embed 24, two stages of depth 1, focal levels 2, built from the config, no
download; ``FocalNetForImageClassification``) sorts the night frames of a warrener's thermal
trail camera at a warren's main bolt-hole: empty, rabbit, fox, stoat, so the warrener can
count rabbits using the hole and see which predator is working the warren. The ground is a
cool, slightly uneven background with a warm patch where the sun lay; an animal is a warm
blob in a random place, side-on facing left or right, its size set by how far it sits from
the lens: a rabbit a compact round body with two upright ears, a fox a long body, a pointed
head on a neck and a long, cooler brush (tail), a stoat a long thin low body with a short
black-tipped (cool) tail. Sensor noise and a random gain. Input: (1, 24, 24) temperature
above the night's ground, scaled.
AdamW 3e-3 with a cosine schedule and 24 warmup steps (10 %), weight decay 0.05, batch 32, 8 epochs
of 960 frames, eval every epoch on 240 frames (accuracy and stoat recall), loss every 5 steps,
checkpoint every epoch (``boltcam/checkpoint-N/`` with ``trainer_state.json``, 2 kept).
Healthy; numbers in the README."""
import torch
from transformers import FocalNetConfig, FocalNetForImageClassification, Trainer, TrainingArguments

S = 24
LABELS = ["empty", "rabbit", "fox", "stoat"]


def ellipse(yy, xx, cy, cx, ry, rx):
    return (((yy - cy) / ry) ** 2 + ((xx - cx) / rx) ** 2 <= 1).float()


def frames(n, g):
    r = lambda: torch.rand(1, generator=g).item()  # noqa: E731
    cls = torch.randint(0, 4, (n,), generator=g)
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    out = []
    for i in range(n):
        img = 0.3 * ellipse(yy, xx, 24 * r(), 24 * r(), 5 + 5 * r(), 6 + 6 * r())
        img = img + 0.15 * (yy / S - 0.5) * (r() - 0.5)
        c = cls[i].item()
        if c:
            k = 0.9 + 0.4 * r()
            face = 1 if r() < 0.5 else -1
            cy, cx = 8 + 8 * r(), 7 + 10 * r()
            warm = 1.5 + 0.5 * r()
            if c == 1:
                body = ellipse(yy, xx, cy, cx, 2.6 * k, 3.0 * k)
                body = body + ellipse(yy, xx, cy - 2 * k, cx + face * 2.5 * k, 1.6 * k, 1.6 * k)
                body = body + ellipse(yy, xx, cy - 5 * k, cx + face * 2 * k, 2.2 * k, 0.6 * k)
                tail = 0 * body
            elif c == 2:
                body = ellipse(yy, xx, cy, cx, 2.2 * k, 5.0 * k)
                body = body + ellipse(yy, xx, cy - 2.2 * k, cx + face * 5.5 * k, 1.4 * k, 2.0 * k)
                tail = ellipse(yy, xx, cy + 0.8 * k, cx - face * 7.5 * k, 1.2 * k, 3.2 * k)
            else:
                body = ellipse(yy, xx, cy, cx, 1.0 * k, 5.5 * k)
                body = body + ellipse(yy, xx, cy - 0.6 * k, cx + face * 5.5 * k, 1.0 * k, 1.3 * k)
                tail = ellipse(yy, xx, cy, cx - face * 7 * k, 0.6 * k, 1.8 * k)
            img = torch.maximum(img, warm * body.clamp(max=1))
            img = torch.maximum(img, 0.6 * warm * tail * (body == 0).float())
        img = img * (0.85 + 0.3 * r()) + 0.06 * torch.randn(S, S, generator=g)
        out.append(img)
    return torch.stack(out).unsqueeze(1), cls


class Frames(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"pixel_values": self.x[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = FocalNetConfig(image_size=S, patch_size=2, num_channels=1, embed_dim=24,
                            depths=[1, 1], focal_levels=[2, 2], focal_windows=[3, 3],
                            hidden_dropout_prob=0.0, drop_path_rate=0.0, num_labels=4,
                            id2label=dict(enumerate(LABELS)),
                            label2id={k: i for i, k in enumerate(LABELS)})
    return FocalNetForImageClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    return {"accuracy": float((p == y).mean()), "stoat_recall": float((p[y == 3] == 3).mean())}


def main():
    from _threehundredseventyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = frames(960, g)
    xva, yva = frames(240, g)
    print("labels", torch.bincount(ytr).tolist())
    args = TrainingArguments(str(out / "boltcam"), num_train_epochs=8, learning_rate=3e-3,
                             warmup_steps=24, lr_scheduler_type="cosine", weight_decay=0.05,
                             per_device_train_batch_size=32, per_device_eval_batch_size=240,
                             logging_steps=5, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Frames(xtr, ytr),
                      eval_dataset=Frames(xva, yva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "boltcam").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny FocalNet image classifier naming what a warrener's thermal camera saw at"
                " a bolt-hole (empty / rabbit / fox / stoat), HF Trainer (healthy)")


if __name__ == "__main__":
    main()
