"""Hugging Face Trainer: a tiny UMT5 encoder with a token-classification head
(``UMT5Config``: vocabulary 34, 48 wide, 2 layers, 4 heads, relative position buckets, built
from the config, no download; ``UMT5ForTokenClassification``) marks up a peat core for a
turf cutter: 32 slices of 5 cm down from the bog surface, each read in the field as a
von Post humification grade (H1-H10, squeeze test, read ±1-2 grades off) and an ash feel
(low / some / gritty). Each slice gets what the peatcutter does with it (per-step head, 4
classes): top spit of fibric moss peat (true H1-H3, pared off and thrown back), brown turf
(H4-H6, cut for light fuel), black turf (H7-H10, the best fuel) and the clay or sand base
below the bog (not cut). True humification rises with depth from 1-2 at the surface by a
per-bog rate, the base lies 90-160 cm down. One token per slice (H × ash: tokens 4-33; 0 pad,
1 start); the model must smooth the noisy squeeze grades using the slices around them.
AdamW 2e-3 with cosine decay and 20 warmup steps, weight decay 0.01, batch 16, 5 epochs of 800
cores, eval every 50 steps (each epoch) on 200 cores (slice accuracy and black-turf F1),
loss every 10 steps, checkpoint every 50 steps (``turfcores/checkpoint-N/`` with
``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import Trainer, TrainingArguments, UMT5Config, UMT5ForTokenClassification

S = 32


def cores(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    depth = 5.0 * torch.arange(S).float() + 2.5
    base = 90 + 70 * r(n, 1)
    top = 1 + r(n, 1)
    rate = 0.06 + 0.08 * r(n, 1)  # grades per cm, by bog wetness
    h_true = (top + rate * depth).clamp(1, 10)
    mineral = depth >= base
    cls = torch.where(h_true < 3.5, 0, torch.where(h_true < 6.5, 1, 2))
    cls = torch.where(mineral, 3, cls)
    h_read = (h_true + 1.3 * torch.randn(n, S, generator=g)).round().clamp(1, 10)
    h_read = torch.where(mineral, (1 + 9 * r(n, S)).floor(), h_read)
    ash = torch.where(mineral, 2 - (r(n, S) < 0.25).long(), (r(n, S) < 0.15).long())
    tok = 4 + (h_read.long() - 1) * 3 + ash
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), tok], 1)
    labels = torch.cat([torch.full((n, 1), -100), cls], 1)
    return ids, labels


class Cores(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(S + 1, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = UMT5Config(vocab_size=34, d_model=48, d_kv=12, d_ff=96, num_layers=2,
                        num_heads=4, num_labels=4, dropout_rate=0.0,
                        relative_attention_num_buckets=16, relative_attention_max_distance=32,
                        initializer_factor=0.5, pad_token_id=0, decoder_start_token_id=0)
    return UMT5ForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    m = y != -100
    p, y = p[m], y[m]
    tp = float(((p == 2) & (y == 2)).sum())
    f1 = 2 * tp / max(float((p == 2).sum() + (y == 2).sum()), 1.0)
    return {"slice_acc": float((p == y).mean()), "black_turf_f1": f1}


def main():
    from _threehundredfiftyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = cores(800, g)
    iva, lva = cores(200, g)
    print("class shares", torch.bincount(ltr[ltr >= 0]).tolist())
    args = TrainingArguments(str(out / "turfcores"), num_train_epochs=5, learning_rate=2e-3,
                             warmup_steps=20, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=16, per_device_eval_batch_size=200,
                             logging_steps=10, eval_strategy="steps", eval_steps=50,
                             save_strategy="steps", save_steps=50, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Cores(itr, ltr),
                      eval_dataset=Cores(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "turfcores").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny UMT5 encoder tagging each 5 cm slice of a peat core as spit / brown turf"
                " / black turf / base from noisy humification reads, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
