"""Hugging Face Trainer: a tiny DeBERTa token classifier (``DebertaConfig``: vocabulary 40,
hidden 32, 2 layers, 4 heads, intermediate 64, relative attention (c2p + p2c, span 16), built from the config, no download;
``DebertaForTokenClassification``) tags every haul of a whelk pot string's 48-haul season, so
the skipper's logbook can be checked against what the catch says happened: 0 = fishing a patch
down (catch per pot falls about 6 % a haul as the whelks on that ground are taken, with day
noise), 1 = first haul after the string was shot away on fresh ground (catch jumps back up by
60-140 %), 2 = storm-damaged haul (pots dragged and rolled: the catch drops to 15-45 % of the
trend for that one haul, the next haul is back on the trend). A string is moved 1-4 times and
has 1-4 storm hauls in a season. Catch per pot (0-2.6 kg) quantised to 32 levels, token = level +
4; 6 % catch noise.
AdamW 4e-3, 30 warmup steps then linear decay, batch 32, 6 epochs of 1600 seasons, eval every
50 steps on 400 seasons (token accuracy, recall of moves and of storm hauls), loss every 25
steps, checkpoint every 50 steps (``potstring/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import (
    DebertaConfig,
    DebertaForTokenClassification,
    Trainer,
    TrainingArguments,
)

HAULS = 48


def seasons(n, g):
    ids = torch.zeros(n, HAULS, dtype=torch.long)
    tags = torch.zeros(n, HAULS, dtype=torch.long)
    for i in range(n):
        moves = torch.randperm(HAULS - 2, generator=g)[:torch.randint(1, 5, (1,), generator=g).item()] + 1
        storms = torch.randperm(HAULS - 2, generator=g)[:torch.randint(1, 5, (1,), generator=g).item()] + 1
        level = 0.5 + 0.5 * torch.rand(1, generator=g).item()
        c = torch.zeros(HAULS)
        for t in range(HAULS):
            if t in moves.tolist():
                level = min(2.5, level * (1.6 + 0.8 * torch.rand(1, generator=g).item()))
                tags[i, t] = 1
            c[t] = level
            if t in storms.tolist() and tags[i, t] == 0:
                c[t] = level * (0.15 + 0.3 * torch.rand(1, generator=g).item())
                tags[i, t] = 2
            level *= 0.94
        c = c * (1 + 0.06 * torch.randn(HAULS, generator=g))
        ids[i] = (c * 12).round().clamp(0, 31).long() + 4
    return ids, tags


class Hauls(torch.utils.data.Dataset):
    def __init__(self, ids, tags):
        self.ids, self.tags = ids, tags

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(HAULS, dtype=torch.long),
                "labels": self.tags[i]}


def build():
    torch.manual_seed(0)
    config = DebertaConfig(vocab_size=40, hidden_size=32, num_hidden_layers=2,
                           num_attention_heads=4, intermediate_size=64,
                           max_position_embeddings=HAULS, num_labels=3, pad_token_id=0,
                           hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0,
                           relative_attention=True, max_relative_positions=16,
                           pos_att_type=["c2p", "p2c"])
    return DebertaForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1).reshape(-1), pred.label_ids.reshape(-1)
    return {"token_accuracy": float((p == y).mean()),
            "recall_move": float((p[y == 1] == 1).mean()),
            "recall_storm": float((p[y == 2] == 2).mean())}


def main():
    from _twohundredseventyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ttr = seasons(1600, g)
    iva, tva = seasons(400, g)
    args = TrainingArguments(str(out / "potstring"), num_train_epochs=6, learning_rate=4e-3,
                             weight_decay=0.01, warmup_steps=30, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=400,
                             logging_steps=25, eval_strategy="steps", eval_steps=50,
                             save_strategy="steps", save_steps=50, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Hauls(itr, ttr),
                      eval_dataset=Hauls(iva, tva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "potstring").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": tva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny DeBERTa tagging whelk pot string hauls (moves, storms), HF Trainer (healthy)")


if __name__ == "__main__":
    main()
