"""Hugging Face Trainer: a tiny DINOv2 (``Dinov2Config``: 32×32 images, patch 8, hidden 48, 2
layers, 4 heads, MLP ×2, built from the config, no download) sorts synthetic inspection tiles
into 4 classes by the tint of a blob of random size and place (red, green, blue, yellow rust
or residue), on a textured grey background with pixel noise σ 0.25; 6 % of the
labels are wrong (the inspectors disagree). Inputs normalised per channel; AdamW 2e-3, weight
decay 0.05, 12 warm-up steps then cosine, batch 32, 4 epochs over 1200 tiles, eval every 15
steps on 300, train loss logged every 5 steps. Healthy: eval accuracy 0.93 from step 30
on (the wrong labels cap it near 0.94), the eval loss easing 0.76 → 0.36, the train loss noisy
(0.13–0.33) and mostly below it at the end."""
import torch
from transformers import Dinov2Config, Dinov2ForImageClassification, Trainer, TrainingArguments

C = 4


def tiles(n, g):
    y = torch.randint(0, C, (n,), generator=g)
    r = torch.arange(32).float()
    yy, xx = torch.meshgrid(r, r, indexing="ij")
    cy = 4 + 24 * torch.rand(n, generator=g)
    cx = 4 + 24 * torch.rand(n, generator=g)
    s = 2.5 + 2.5 * torch.rand(n, generator=g)
    blob = torch.exp(-((yy - cy[:, None, None]) ** 2 + (xx - cx[:, None, None]) ** 2)
                     / (2 * s[:, None, None] ** 2))
    colour = torch.tensor([[0.9, 0.3, 0.2], [0.2, 0.8, 0.3], [0.2, 0.4, 0.9],
                           [0.8, 0.8, 0.2]])[y]
    back = 0.5 + 0.1 * torch.sin(xx / 3 + 6.3 * torch.rand(n, 1, 1, generator=g))
    img = back[:, None] + 1.5 * blob[:, None] * colour[:, :, None, None]
    img = img + 0.25 * torch.randn(n, 3, 32, 32, generator=g)
    mean, std = img.mean((0, 2, 3), keepdim=True), img.std((0, 2, 3), keepdim=True)
    wrong = torch.rand(n, generator=g) < 0.06
    y = torch.where(wrong, (y + torch.randint(1, C, (n,), generator=g)) % C, y)
    return (img - mean) / std, y


class Tiles(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return {"pixel_values": self.x[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = Dinov2Config(image_size=32, patch_size=8, num_channels=3, hidden_size=48,
                          num_hidden_layers=2, num_attention_heads=4, mlp_ratio=2,
                          hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.0,
                          num_labels=C)
    return Dinov2ForImageClassification(config)


def accuracy(pred):
    return {"accuracy": float((pred.predictions.argmax(-1) == pred.label_ids).mean())}


def main():
    from _sixtythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = tiles(1500, g)
    args = TrainingArguments(str(out / "tiles"), num_train_epochs=4, learning_rate=2e-3,
                             weight_decay=0.05, warmup_steps=12, lr_scheduler_type="cosine",
                             per_device_train_batch_size=32, per_device_eval_batch_size=300,
                             logging_steps=5, eval_strategy="steps", eval_steps=15,
                             save_strategy="steps", save_steps=15, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Tiles(x[:1200], y[:1200]),
                      eval_dataset=Tiles(x[1200:], y[1200:]), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "tiles").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, (x[1200:1264], y[1200:1264]), causes=[],
           checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny DINOv2 tile classifier, HF Trainer, 6 % label noise (healthy)")


if __name__ == "__main__":
    main()
