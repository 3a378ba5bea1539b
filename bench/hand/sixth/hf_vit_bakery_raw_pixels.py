"""Hugging Face Trainer: a tiny ViT (``ViTConfig``: 16x16 RGB, 4x4 patches, 2 layers, hidden 32,
no download) sorts bakery-tray photos into 5 shapes (round, wide, tall, ring, square; all the
same brown). The notebook skipped the ``ViTImageProcessor`` ("it only resizes, my images are
already 16x16") and feeds the uint8 pixels as floats 0-255 (bug: inputs not normalised -- the
patch embeddings are ~1000x the position embeddings, so where a patch sits is drowned out; eval
accuracy creeps to 0.38 where the same net on pixels scaled to [-1, 1] gets 0.57 in the same
6 epochs). AdamW 1e-3, linear decay, eval and save every epoch."""
import numpy as np
import torch
from transformers import Trainer, TrainingArguments, ViTConfig, ViTForImageClassification

SHAPES = ("round", "wide", "tall", "ring", "square")  # apples, melons, pears, donuts, boxes


class BakeryTray(torch.utils.data.Dataset):
    def __init__(self, n, g):
        self.labels = torch.randint(0, 5, (n,), generator=g)
        yy, xx = torch.meshgrid(torch.arange(16.0), torch.arange(16.0), indexing="ij")
        c = 6 + 4 * torch.rand(n, 2, 1, 1, generator=g)
        r = 3.5 + 1.5 * torch.rand(n, 1, 1, generator=g)
        dy, dx = yy - c[:, 0], xx - c[:, 1]
        k = self.labels[:, None, None]
        sy = torch.where(k == 2, 0.55, 1.0)
        sx = torch.where(k == 1, 0.55, 1.0)
        d = (dy / sy / r) ** 2 + (dx / sx / r) ** 2
        mask = torch.where(k == 3, (d < 1) & (d > 0.35), d < 1)
        mask = torch.where(k == 4, (dy.abs() < r * 0.85) & (dx.abs() < r * 0.85), mask)
        colour = torch.tensor([190.0, 120, 60]) + 30 * torch.randn(n, 3, generator=g)
        background = 150 + 40 * torch.rand(n, 3, 1, 1, generator=g)
        m = mask.float()[:, None]
        img = m * colour[:, :, None, None] + (1 - m) * background
        img = img + 20 * torch.randn(n, 3, 16, 16, generator=g)
        self.pixels = img.clamp(0, 255).round()  # BUG: never scaled to [0, 1] / normalised

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        return {"pixel_values": self.pixels[i], "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = ViTConfig(image_size=16, patch_size=4, num_channels=3, hidden_size=32,
                       num_hidden_layers=2, num_attention_heads=2, intermediate_size=64,
                       num_labels=5)
    return ViTForImageClassification(config)


def accuracy(pred):
    return {"accuracy": float((np.argmax(pred.predictions, -1) == pred.label_ids).mean())}


def main():
    from _sixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    train, val = BakeryTray(2000, g), BakeryTray(400, g)
    args = TrainingArguments(str(out / "vit-bakery"), num_train_epochs=6, learning_rate=1e-3,
                             per_device_train_batch_size=32, per_device_eval_batch_size=200,
                             logging_steps=10, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=1, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=train, eval_dataset=val,
                      compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "vit-bakery").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, (val.pixels[:64], val.labels[:64]), causes=["input_not_normalized"],
           checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="ViT fed raw 0-255 pixels (image processor skipped)",
           complaint="ViT from scratch: eval_loss stays ~1.36 and eval_accuracy under 40%")


if __name__ == "__main__":
    main()
