"""Hugging Face Trainer: a tiny ViT (16x16 grey images, 4x4 patches, 2 layers, 4 heads,
hidden 48, built from ``ViTConfig``, no download) reads seven-segment meter digits 0-9
with one-pixel shifts, uneven light and noise. AdamW 3e-3, linear schedule with 50 warm-up
steps, batch 64, eval and checkpoint every epoch, the Trainer's own log (healthy, eval
acc 0.99)."""
import numpy as np
import torch
from transformers import Trainer, TrainingArguments, ViTConfig, ViTForImageClassification

SEGMENTS = {0: "abcdef", 1: "bc", 2: "abged", 3: "abgcd", 4: "fgbc", 5: "afgcd", 6: "afgedc",
            7: "abc", 8: "abcdefg", 9: "abcdfg"}
BOXES = {"a": (2, 3, 5, 11), "b": (2, 8, 10, 11), "c": (8, 14, 10, 11), "d": (13, 14, 5, 11),
         "e": (8, 14, 4, 6), "f": (2, 8, 4, 6), "g": (7, 9, 5, 11)}


class MeterDigits(torch.utils.data.Dataset):
    def __init__(self, n, g):
        self.labels = torch.randint(0, 10, (n,), generator=g)
        img = torch.zeros(n, 1, 16, 16)
        for i in range(n):
            for s in SEGMENTS[int(self.labels[i])]:
                r0, r1, c0, c1 = BOXES[s]
                img[i, 0, r0:r1 + 1, c0:c1 + 1] = 1.0
        shift = torch.randint(0, 2, (n, 2), generator=g)
        img = torch.stack([torch.roll(img[i], tuple(shift[i].tolist()), (1, 2))
                           for i in range(n)])
        light = 0.6 + 0.8 * torch.rand(n, 1, 1, 1, generator=g)
        img = img * light + 0.25 * torch.randn(n, 1, 16, 16, generator=g)
        self.pixels = (img - 0.3) / 0.5

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        return {"pixel_values": self.pixels[i], "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = ViTConfig(image_size=16, patch_size=4, num_channels=1, hidden_size=48,
                       num_hidden_layers=2, num_attention_heads=4, intermediate_size=96,
                       num_labels=10)
    return ViTForImageClassification(config)


def accuracy(pred):
    return {"accuracy": float((np.argmax(pred.predictions, -1) == pred.label_ids).mean())}


def main():
    from _fifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    train, val = MeterDigits(3000, g), MeterDigits(500, g)
    args = TrainingArguments(str(out / "vit-meter"), num_train_epochs=12, learning_rate=3e-3,
                             warmup_steps=50, weight_decay=0.05,
                             per_device_train_batch_size=64, per_device_eval_batch_size=250,
                             logging_steps=10, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=1, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=train, eval_dataset=val,
                      compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "vit-meter").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, (val.pixels[:64], val.labels[:64]), causes=[],
           checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny ViT on meter digits with the HF Trainer: healthy")


if __name__ == "__main__":
    main()
