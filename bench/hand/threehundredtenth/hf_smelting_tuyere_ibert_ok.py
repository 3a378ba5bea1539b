"""Hugging Face Trainer: a tiny I-BERT token classifier (``IBertConfig``: vocabulary 14, 48
wide, 2 layers, 4 heads, ``quant_mode=False`` so it runs as a plain float RoBERTa-style
encoder, built from the config, no download; ``IBertForTokenClassification``,
bidirectional) reads a copper smelting furnace's shift log hour by hour and marks the hours
in which the hearth was running cold enough that the smelter should have raised the oxygen
enrichment. Each hour is one token: the charge in that hour (none, concentrate, silica
flux, reverts / cold scrap) × the tuyere blast (normal or reduced), tokens 2-9, plus a tap
token (10 / 11 with normal / reduced blast: slag and matte tapped that hour). A cold hour: cold material (silica flux or
reverts) charged while the blast is reduced, or reverts charged in the hour right after a
tap (onto a freshly drained hearth). Shifts of 24 hours drawn from a Markov
chain (the blast stays reduced for a while once cut, taps every 3-5 hours).
AdamW 3e-3 with linear decay and 10 warmup steps, weight decay 0.01, batch 25, 5 epochs of
900 shifts, eval every 36 steps on 225 shifts (token accuracy, share of cold hours found),
loss every 6 steps, checkpoint every 36 steps (``furnace_log/checkpoint-N/`` with
``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import IBertConfig, IBertForTokenClassification, Trainer, TrainingArguments

T = 24


def shifts(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    ids = torch.zeros(n, T, dtype=torch.long)
    lab = torch.zeros(n, T, dtype=torch.long)
    reduced = torch.zeros(n, dtype=torch.bool)
    since_tap = (3 * r(n)).long()
    hist_tap = torch.zeros(n, T, dtype=torch.bool)
    for k in range(T):
        flip = r(n) < torch.where(reduced, torch.tensor(0.3), torch.tensor(0.15))
        reduced = reduced ^ flip
        tap = (since_tap >= 3) & (r(n) < 0.45) | (since_tap >= 5)
        since_tap = torch.where(tap, torch.zeros_like(since_tap), since_tap + 1)
        u = r(n)
        charge = torch.where(u < 0.2, 0, torch.where(u < 0.6, 1, torch.where(u < 0.8, 2, 3)))
        tok = 2 + charge * 2 + reduced.long()
        ids[:, k] = torch.where(tap, 10 + reduced.long(), tok)
        charge = torch.where(tap, torch.zeros_like(charge), charge)
        hist_tap[:, k] = tap
        prev_tap = hist_tap[:, k - 1] if k else torch.zeros(n, dtype=torch.bool)
        lab[:, k] = (((charge >= 2) & reduced) | ((charge == 3) & prev_tap)).long()
    return ids, lab


class Shifts(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = IBertConfig(vocab_size=14, hidden_size=48, num_hidden_layers=2, num_attention_heads=4,
                         intermediate_size=96, max_position_embeddings=T + 4, num_labels=2,
                         hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0,
                         quant_mode=False, pad_token_id=1, bos_token_id=0, eos_token_id=1)
    return IBertForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    return {"token_accuracy": float((p == y).mean()),
            "cold_found": float(((p == 1) & (y == 1)).sum() / max((y == 1).sum(), 1))}


def main():
    from _threehundredtenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = shifts(900, g)
    iva, lva = shifts(225, g)
    print("cold share", ltr.float().mean().item(), "tokens", torch.bincount(itr.flatten()))
    args = TrainingArguments(str(out / "furnace_log"), num_train_epochs=5, learning_rate=3e-3,
                             warmup_steps=10, lr_scheduler_type="linear", weight_decay=0.01,
                             per_device_train_batch_size=25, per_device_eval_batch_size=225,
                             logging_steps=6, eval_strategy="steps", eval_steps=36,
                             save_strategy="steps", save_steps=36, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Shifts(itr, ltr),
                      eval_dataset=Shifts(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "furnace_log").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny I-BERT token classifier marking the cold-hearth hours in a copper"
                " smelting furnace's shift log, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
