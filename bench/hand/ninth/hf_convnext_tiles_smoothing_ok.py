"""Hugging Face Trainer: classifying 16x16 sensor-tile glyphs (filled square, cross, hollow
square, diagonal bar at a random place, noise 0.3) with a tiny ConvNeXt built from its config
(``ConvNextConfig``: 1 channel, patch 2, two stages of widths 24 / 48, depths 2 / 2; no
download), ``ConvNextForImageClassification``. AdamW 2e-3, weight decay 0.05, cosine schedule
with 10 % warm-up, batch 32, 6 epochs, ``label_smoothing_factor=0.1``, eval and save every 50
steps. Healthy: eval accuracy 0.91, eval loss 0.55 -- label smoothing keeps the loss of even a
perfect classifier at 0.35 or above."""
import torch
from transformers import ConvNextConfig, ConvNextForImageClassification, Trainer, TrainingArguments


def glyphs(n, g):
    x = 0.3 * torch.randn(n, 1, 16, 16, generator=g)
    y = torch.randint(0, 4, (n,), generator=g)
    d = torch.arange(5)
    for i in range(n):
        r, c = torch.randint(1, 11, (2,), generator=g).tolist()
        k = int(y[i])
        if k == 0:
            x[i, 0, r:r + 5, c:c + 5] += 1
        elif k == 1:
            x[i, 0, r + 2, c:c + 5] += 1
            x[i, 0, r:r + 5, c + 2] += 1
        elif k == 2:
            x[i, 0, r:r + 5, c] += 1
            x[i, 0, r:r + 5, c + 4] += 1
            x[i, 0, r, c + 1:c + 4] += 1
            x[i, 0, r + 4, c + 1:c + 4] += 1
        else:
            x[i, 0, r + d, c + d] += 1
    return x, y



class Tiles(torch.utils.data.Dataset):
    def __init__(self, n, g):
        self.x, self.y = glyphs(n, g)

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return {"pixel_values": self.x[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = ConvNextConfig(num_channels=1, patch_size=2, num_stages=2, hidden_sizes=[24, 48],
                            depths=[2, 2], image_size=16, num_labels=4)
    return ConvNextForImageClassification(config)


def accuracy(pred):
    return {"accuracy": float((pred.predictions.argmax(-1) == pred.label_ids).mean())}


def main():
    from _ninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    train, val = Tiles(2000, g), Tiles(400, g)
    args = TrainingArguments(str(out / "convnext-tiles"), num_train_epochs=6,
                             learning_rate=2e-3, weight_decay=0.05, warmup_steps=0.1,
                             lr_scheduler_type="cosine", label_smoothing_factor=0.1,
                             per_device_train_batch_size=32, per_device_eval_batch_size=400,
                             logging_steps=10, eval_strategy="steps", eval_steps=50,
                             save_strategy="steps", save_steps=50, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=train, eval_dataset=val,
                      compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "convnext-tiles").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, (val.x[:64], val.y[:64]), causes=[],
           checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny ConvNeXt from its config, HF Trainer, label smoothing 0.1 (healthy)")


if __name__ == "__main__":
    main()
