"""Hugging Face Trainer: a tiny PP-LCNet (``PPLCNetForImageClassification`` from a
``PPLCNetConfig``: stem 8 channels, five one-block stages 16/24/32/48/64 with a squeeze-excite
block in the last, 1×1 expansion to 64, built from the config, no pre-training, no download)
sorts a tattoo studio's portfolio photos into 4 styles: fine-line, traditional, blackwork and
dotwork. Synthetic 32×32 RGB crops: skin of a random tone with soft shading; one or two ellipses
per design and a stroke across it — fine-line draws them as 1-px black lines, traditional as
thick black outlines filled with red, green or yellow, blackwork fills them solid black,
dotwork stipples them with black dots (density 0.25–0.45); a slight blur, camera noise 0.04 and
4 % of the training labels wrong (portfolio tags by hand). The model's forward returns the
logits only (no loss), so the Trainer gets ``compute_loss_func`` (cross-entropy) and
``label_names=["labels"]``. AdamW 3e-3, weight decay 0.01, 10 warm-up steps then linear decay,
batch 32, 6 epochs of 480 crops, eval every 15 steps, train loss every 5 steps.
Healthy, with an odd start: the train loss leaves ln 4 at once (0.82 by step 25) but the eval
loss sits at 1.38–1.39 with eval accuracy 0.27–0.31 for the first three evaluations (steps
15–45: the BatchNorm running statistics trail the fast-moving weights), then eval accuracy
0.49, 0.97, 0.99 at step 90, eval loss 0.28 just under the last train loss 0.30 (the wrong tags
only sit in training)."""
import torch
import torch.nn.functional as F
from transformers import PPLCNetConfig, PPLCNetForImageClassification, Trainer, TrainingArguments

S = 32
STYLES = ["fine-line", "traditional", "blackwork", "dotwork"]
INKS = torch.tensor([[0.8, 0.1, 0.1], [0.1, 0.55, 0.2], [0.9, 0.75, 0.1]])


def crops(n, g, flip=0.0):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    y = torch.randint(0, 4, (n,), generator=g)
    tone = 0.35 + 0.55 * torch.rand(n, 1, 1, 1, generator=g)
    skin = tone * torch.tensor([1.0, 0.78, 0.62])[None, :, None, None]
    shade = 1 + 0.15 * torch.sin(xx / 9 + 6 * torch.rand(n, 1, 1, generator=g))[:, None]
    img = (skin * shade).expand(n, 3, S, S).clone()
    for i in range(n):
        r = torch.zeros(S, S)
        for _ in range(int(torch.randint(1, 3, (1,), generator=g))):
            c = 8 + 16 * torch.rand(2, generator=g)
            ab = 4 + 6 * torch.rand(2, generator=g)
            d = (((yy - c[0]) / ab[0]) ** 2 + ((xx - c[1]) / ab[1]) ** 2).sqrt()
            r = torch.maximum(r, 1 - d)
        inside = r > 0
        a, b = torch.rand(2, generator=g)
        stroke = (yy - (a * 20 + 6) - (b - 0.5) * (xx - 16)).abs()
        k = int(y[i])
        if k == 0:
            ink = ((r.abs() < 0.09) | (stroke < 0.6)).float()
            img[i] = img[i] * (1 - 0.9 * ink)
        elif k == 1:
            outline = (r.abs() < 0.25) | (stroke < 1.5)
            col = INKS[int(torch.randint(0, 3, (1,), generator=g))][:, None, None]
            img[i] = torch.where(inside & ~outline, col, img[i])
            img[i] = img[i] * (1 - 0.9 * outline.float())
        elif k == 2:
            ink = (inside | (stroke < 1.5)).float()
            img[i] = img[i] * (1 - 0.9 * ink)
        else:
            dens = 0.25 + 0.2 * float(torch.rand(1, generator=g))
            dots = torch.rand(S, S, generator=g) < dens
            ink = ((inside | (stroke < 1.5)) & dots).float()
            img[i] = img[i] * (1 - 0.9 * ink)
    img = F.avg_pool2d(F.pad(img, (1, 1, 1, 1), mode="replicate"), 3, 1) * 0.5 + img * 0.5
    img = img + 0.04 * torch.randn(img.shape, generator=g)
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, (y + torch.randint(1, 4, (n,), generator=g)) % 4, y)
    return (img - 0.45) / 0.25, y


class Portfolio(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"pixel_values": self.x[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = PPLCNetConfig(block_configs=[[[3, 8, 16, 1, False]], [[3, 16, 24, 2, False]],
                                          [[3, 24, 32, 2, False]], [[3, 32, 48, 2, False]],
                                          [[3, 48, 64, 1, True]]],
                           stem_channels=8, class_expand=64, hidden_dropout_prob=0.1,
                           num_labels=4, id2label=dict(enumerate(STYLES)),
                           label2id={s: k for k, s in enumerate(STYLES)})
    return PPLCNetForImageClassification(config)


def style_loss(outputs, labels, num_items_in_batch=None):
    return F.cross_entropy(outputs.last_hidden_state, labels)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _hundredfiftysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = crops(480, g, flip=0.04)
    xva, yva = crops(160, g)
    args = TrainingArguments(str(out / "tattoo-styles"), num_train_epochs=6, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=160,
                             logging_steps=5, eval_strategy="steps", eval_steps=15,
                             save_strategy="steps", save_steps=45, save_total_limit=1,
                             label_names=["labels"], report_to=[], use_cpu=True,
                             disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Portfolio(xtr, ytr),
                      eval_dataset=Portfolio(xva, yva), compute_loss_func=style_loss,
                      compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "tattoo-styles").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny PP-LCNet tattoo-style classifier, HF Trainer, 4 % label noise (healthy)")


if __name__ == "__main__":
    main()
