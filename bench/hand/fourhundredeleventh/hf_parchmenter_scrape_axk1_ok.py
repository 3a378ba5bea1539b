"""Hugging Face Trainer: a tiny A.X-K1 decoder with a token-classification head
(``AXK1Config``: vocabulary 31, 48 wide, 2 dense layers, 4 heads with low-rank
(MLA) attention, built from the config, no download; ``AXK1ForTokenClassification``) tells a
parchmenter, reading by reading, what to do next as the thickness gauge runs across a limed
calfskin stretched on the frame: ``ok``, ``scrape`` (the last three readings average over
0.28 mm, the knife must go over it again) or ``thin`` (this reading is under 0.12 mm, a hole
is near: stop). A line is 40 readings, one a centimetre, from spine to belly: the spine is
thick (0.35-0.55 mm), the skin thins towards the belly (0.12-0.25 mm), a scraped stretch of
the line is already 0.05-0.12 mm lower, 0-2 vein marks or scars dip it further, and the gauge
reads ±0.012 mm. Each reading is one token, the thickness binned by 0.02 mm from 0.04 to 0.60
mm (tokens 3-30; 0 pad, 1 start, 2 end unused). The decoder only sees the readings so far, as
the parchmenter does; the labels only need the readings so far, but come from the unbinned
gauge values, so a reading near a threshold is a coin toss.
AdamW 3e-3 with cosine decay and 20 warmup steps, weight decay 0.05, batch 16, 4 epochs of 800
lines (200 steps), eval each epoch on 200 lines (per-reading accuracy, thin recall, scrape
recall), loss every 10 steps, one checkpoint kept per epoch (``herse/checkpoint-N/`` with
``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import AXK1Config, AXK1ForTokenClassification, Trainer, TrainingArguments

T = 40
LABELS = ["ok", "scrape", "thin"]


def lines(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    pos = torch.arange(T).float() / (T - 1)
    spine = 0.35 + 0.2 * r(n, 1)
    belly = 0.12 + 0.13 * r(n, 1)
    curve = 1.0 + 1.5 * r(n, 1)
    mm = belly + (spine - belly) * (1 - pos) ** curve
    start = 0.6 * r(n, 1)
    length = 0.2 + 0.3 * r(n, 1)
    scraped = ((pos >= start) & (pos < start + length)).float()
    mm = mm - scraped * (0.05 + 0.07 * r(n, 1))
    for _ in range(2):
        here = (r(n, 1) < 0.5).float()
        centre, width = r(n, 1), 0.02 + 0.04 * r(n, 1)
        mm = mm - here * (0.04 + 0.08 * r(n, 1)) * torch.exp(-((pos - centre) / width) ** 2)
    mm = (mm + 0.012 * torch.randn(n, T, generator=g)).clamp(min=0.02)
    last3 = torch.stack([mm, torch.roll(mm, 1, 1), torch.roll(mm, 2, 1)]).mean(0)
    last3[:, :2] = mm[:, :2]
    lab = torch.where(mm < 0.12, 2, torch.where(last3 > 0.28, 1, 0))
    tok = 3 + ((mm - 0.04) / 0.02).floor().clamp(0, 27).long()
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), tok], 1)
    labels = torch.cat([torch.full((n, 1), -100), lab], 1)
    return ids, labels


class Lines(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = AXK1Config(vocab_size=31, hidden_size=48, intermediate_size=96,
                        moe_intermediate_size=32, num_hidden_layers=2, num_attention_heads=4,
                        num_key_value_heads=4, n_routed_experts=4, n_group=1, topk_group=1,
                        num_experts_per_tok=2, mlp_layer_types=["dense", "dense"],
                        kv_lora_rank=16, q_lora_rank=24, qk_rope_head_dim=8,
                        qk_nope_head_dim=8, v_head_dim=12, max_position_embeddings=T + 8,
                        pad_token_id=0, bos_token_id=1, eos_token_id=2, num_labels=3,
                        id2label=dict(enumerate(LABELS)),
                        label2id={k: i for i, k in enumerate(LABELS)})
    return AXK1ForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    m = y != -100
    p, y = p[m], y[m]
    return {"reading_acc": float((p == y).mean()),
            "thin_recall": float((p[y == 2] == 2).mean()),
            "scrape_recall": float((p[y == 1] == 1).mean())}


def main():
    from _fourhundredeleventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = lines(800, g)
    iva, lva = lines(200, g)
    print("label shares", torch.bincount(ltr[ltr >= 0], minlength=3).float().div(800 * T).tolist())
    args = TrainingArguments(str(out / "herse"), num_train_epochs=4, learning_rate=3e-3,
                             warmup_steps=20, lr_scheduler_type="cosine", weight_decay=0.05,
                             per_device_train_batch_size=16, per_device_eval_batch_size=200,
                             logging_steps=10, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=1, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Lines(itr, ltr),
                      eval_dataset=Lines(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "herse").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny A.X-K1 decoder tagging each thickness-gauge reading across a limed"
                " calfskin as ok / scrape / thin, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
