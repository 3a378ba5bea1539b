"""Hugging Face Trainer: a tiny SigLIP vision classifier (``SiglipForImageClassification`` from a
``SiglipConfig``: 16×16 patches of 4 bands, 4×4 patches → 16 tokens, hidden 32, 2 layers, 2 heads,
the attention-pooling head, built from the config, no pre-training, no download) tells the crop
on a synthetic multispectral field patch (blue, green, red, near-infrared reflectance, as from a
10-m satellite tile): wheat (high NIR, fine even texture), maize (high NIR in rows, soil between
the rows, row direction random), rice (flooded: low NIR, blue/green water signal with sparse
plants) or fallow (bare soil: red ≥ green, flat NIR). Each patch gets a per-scene illumination
gain 0.8–1.2, sensor noise 0.02 and in 30 % of the patches a soft cloud (bright, flat in every
band) over part of it; inputs standardised per band with the training statistics. AdamW 3e-3,
weight decay 0.05, 8 warm-up steps then cosine, batch 32, 6 epochs of 640 patches, eval every
10 steps, train loss every 5 steps, a checkpoint every 40 steps.
Healthy and quick: eval accuracy 0.96 at step 10, 0.975 at step 20, 0.99–1.00 from step 30, eval
loss 0.27 → 0.090 → 0.021 → 0.0046 at step 120 (a small bump to 0.031 at step 40); the train
loss (logged every 5 steps) 0.23 at step 15, 0.0036 at the end, eval loss just above it."""
import torch
from transformers import SiglipConfig, SiglipForImageClassification, Trainer, TrainingArguments

S = 16
CROPS = ["wheat", "maize", "rice", "fallow"]


def fields(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    y = torch.randint(0, 4, (n,), generator=g)
    x = torch.zeros(n, 4, S, S)
    soil = torch.tensor([0.10, 0.14, 0.19, 0.25])
    veg = torch.tensor([0.04, 0.09, 0.05, 0.45])
    water = torch.tensor([0.09, 0.08, 0.05, 0.03])
    for i in range(n):
        k = int(y[i])
        r = lambda: float(torch.rand(1, generator=g))  # noqa: E731
        if k == 0:
            cover = 0.85 + 0.1 * torch.rand(S, S, generator=g)
            img = veg[:, None, None] * cover + soil[:, None, None] * (1 - cover)
        elif k == 1:
            th = 3.1416 * r()
            period = 3 + 2 * r()
            rows = torch.cos(6.283 * (xx * torch.cos(torch.tensor(th))
                                      + yy * torch.sin(torch.tensor(th))) / period)
            cover = (0.5 + 0.45 * rows).clamp(0, 1)
            img = veg[:, None, None] * cover + soil[:, None, None] * (1 - cover)
        elif k == 2:
            cover = 0.25 * (torch.rand(S, S, generator=g) < 0.4).float()
            img = veg[:, None, None] * cover + water[:, None, None] * (1 - cover)
        else:
            cover = 0.05 * torch.rand(S, S, generator=g)
            img = veg[:, None, None] * cover + soil[:, None, None] * (1 - cover)
            img = img * (0.9 + 0.2 * r())
        img = img * (0.8 + 0.4 * r())
        if r() < 0.3:
            cy, cx, rad = S * r(), S * r(), 3 + 5 * r()
            cloud = torch.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / (2 * rad ** 2))
            img = img * (1 - 0.7 * cloud) + 0.35 * cloud
        x[i] = img + 0.02 * torch.randn(4, S, S, generator=g)
    return x, y


class Patches(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"pixel_values": self.x[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = SiglipConfig(
        vision_config=dict(image_size=S, patch_size=4, num_channels=4, hidden_size=32,
                           num_hidden_layers=2, num_attention_heads=2, intermediate_size=64),
        text_config=dict(vocab_size=64, hidden_size=16, num_hidden_layers=1,
                         num_attention_heads=1, intermediate_size=16, bos_token_id=None,
                         eos_token_id=None, pad_token_id=None),
        num_labels=4, id2label=dict(enumerate(CROPS)),
        label2id={c: i for i, c in enumerate(CROPS)})
    return SiglipForImageClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _hundredth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = fields(640 + 200, g)
    mu, sd = x[:640].mean((0, 2, 3), keepdim=True), x[:640].std((0, 2, 3), keepdim=True)
    x = (x - mu) / sd
    xtr, ytr, xva, yva = x[:640], y[:640], x[640:], y[640:]
    args = TrainingArguments(str(out / "siglip-crops"), num_train_epochs=6, learning_rate=3e-3,
                             weight_decay=0.05, warmup_steps=8, lr_scheduler_type="cosine",
                             per_device_train_batch_size=32, per_device_eval_batch_size=200,
                             logging_steps=5, eval_strategy="steps", eval_steps=10,
                             save_strategy="steps", save_steps=40, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Patches(xtr, ytr),
                      eval_dataset=Patches(xva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "siglip-crops").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny SigLIP crop-type classifier on 4-band field patches, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
