"""Hugging Face Trainer: a tiny ViTDet backbone (``VitDetConfig``: hidden 32, 2 layers, 2 heads,
patch 4, 16×16 RGB, built from the config, no download) plus a pooled linear head judges a
paella pan from an overhead kitchen camera: raw rice (pale, wet shine), ready (golden, even)
or socarrat going to burnt (dark ring at the rim). Images are a pan disc whose centre colour and
rim darkness follow the class, with random pan size, lighting and noise.
AdamW 2e-3, 10 warm-up steps then linear decay, batch 32, 5 epochs of 640 pans, eval every 20
steps, loss every 5 steps, a checkpoint every 50 steps (``checkpoint-N/trainer_state.json``).
Healthy: eval accuracy 0.72, 0.93, 0.93, 0.94, 0.94 at steps 20-100 (one eval per epoch),
eval loss 0.58 → 0.13; the train loss is noisy (0.10-0.23 over the last three epochs)."""
import torch
import torch.nn as nn
from transformers import Trainer, TrainingArguments, VitDetConfig, VitDetModel

S = 16


def pans(n, g):
    y = torch.randint(0, 3, (n,), generator=g)
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    r = ((yy - 7.5) ** 2 + (xx - 7.5) ** 2).sqrt()[None]
    radius = 5.5 + 1.5 * torch.rand(n, 1, 1, generator=g)
    centre = torch.tensor([[0.9, 0.85, 0.6], [0.95, 0.7, 0.2], [0.8, 0.55, 0.15]])[y]
    rim = torch.tensor([0.0, 0.15, 0.6])[y][:, None, None]
    light = 0.8 + 0.4 * torch.rand(n, 1, 1, 1, generator=g)
    inside = (r < radius).float()
    ring = ((r > radius - 2) & (r < radius)).float()
    img = inside[:, None] * centre[:, :, None, None] * (1 - rim[:, None] * ring[:, None])
    img = img + (1 - inside[:, None]) * 0.3
    img = img * light + 0.08 * torch.randn(n, 3, S, S, generator=g)
    return (img - 0.5) / 0.25, y


class PanJudge(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.backbone = VitDetModel(config)
        self.head = nn.Linear(config.hidden_size, 3)

    def forward(self, pixel_values, labels=None):
        h = self.backbone(pixel_values).last_hidden_state.mean((2, 3))
        logits = self.head(h)
        out = {"logits": logits}
        if labels is not None:
            out["loss"] = nn.functional.cross_entropy(logits, labels)
        return out


class Pans(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"pixel_values": self.x[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = VitDetConfig(hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                          mlp_ratio=2, image_size=S, pretrain_image_size=S, patch_size=4,
                          num_channels=3)
    return PanJudge(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _twohundredthirtysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = pans(640, g)
    xva, yva = pans(192, g)
    args = TrainingArguments(str(out / "paella"), num_train_epochs=5, learning_rate=2e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=192,
                             logging_steps=5, eval_strategy="steps", eval_steps=20,
                             save_strategy="steps", save_steps=50, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Pans(xtr, ytr),
                      eval_dataset=Pans(xva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "paella").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, (xva[:64], yva[:64]),
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny ViTDet paella-pan doneness classifier, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
