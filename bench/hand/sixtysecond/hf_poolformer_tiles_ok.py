"""Hugging Face Trainer: a tiny PoolFormer (``PoolFormerConfig``: 4 stages of depth 1, widths
16/32/48/64, pooling token mixer, layer scale, built from the config, no download) classifies
synthetic 64×64 colour tiles into 4 textures (horizontal stripes, vertical stripes, checker,
blobs; random frequency, phase and colour, noise 0.3); 5 % of the labels are wrong. AdamW 3e-3,
weight decay 0.05, 8 warm-up steps then linear decay, batch 32, 8 epochs over 640 tiles, eval
every 20 steps on 160. Healthy: the eval accuracy reaches its ceiling (0.94 at epoch 4, 0.925 at
the end; 5 % label noise) and the eval loss levels at 0.32–0.36 above the train loss 0.15."""
import torch
from transformers import (
    PoolFormerConfig,
    PoolFormerForImageClassification,
    Trainer,
    TrainingArguments,
)

S, CLASSES = 64, 4


def tiles(n, g):
    y = torch.randint(0, CLASSES, (n,), generator=g)
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    out = torch.empty(n, 3, S, S)
    for i in range(n):
        f = 0.3 + 0.4 * float(torch.rand(1, generator=g))
        ph = 6.28 * float(torch.rand(1, generator=g))
        k = int(y[i])
        if k == 0:
            p = torch.sin(f * yy + ph)
        elif k == 1:
            p = torch.sin(f * xx + ph)
        elif k == 2:
            p = torch.sin(f * xx + ph) * torch.sin(f * yy + ph)
        else:
            p = torch.nn.functional.interpolate(torch.randn(1, 1, 8, 8, generator=g), size=S,
                                                mode="bilinear", align_corners=False)[0, 0]
        colour = 0.5 + 0.5 * torch.rand(3, 1, 1, generator=g)
        out[i] = colour * p + 0.3 * torch.randn(3, S, S, generator=g)
    flip = torch.rand(n, generator=g) < 0.05
    y = torch.where(flip, (y + torch.randint(1, CLASSES, (n,), generator=g)) % CLASSES, y)
    return out, y


class Tiles(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"pixel_values": self.x[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = PoolFormerConfig(num_channels=3, depths=[1, 1, 1, 1], hidden_sizes=[16, 32, 48, 64],
                              mlp_ratio=2.0, num_labels=CLASSES)
    return PoolFormerForImageClassification(config)


def accuracy(pred):
    return {"accuracy": float((pred.predictions.argmax(-1) == pred.label_ids).mean())}


def main():
    from _sixtysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = tiles(800, g)
    args = TrainingArguments(str(out / "poolformer"), num_train_epochs=8, learning_rate=3e-3,
                             weight_decay=0.05, warmup_steps=8, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=160,
                             logging_steps=5, eval_strategy="steps", eval_steps=20,
                             save_strategy="steps", save_steps=40, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Tiles(x[:640], y[:640]),
                      eval_dataset=Tiles(x[640:], y[640:]), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "poolformer").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": x[640:704], "targets": y[640:704]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny PoolFormer texture classifier, HF Trainer, 5 % label noise (healthy)")


if __name__ == "__main__":
    main()
