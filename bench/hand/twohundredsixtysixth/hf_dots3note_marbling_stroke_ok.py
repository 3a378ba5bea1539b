"""Hugging Face Trainer: a tiny causal language model (``Dots3NoteTextConfig`` /
``Dots3NoteForCausalLM``: vocabulary 16, hidden 32, 2 dense layers, 4 heads, MLP 64, low-rank
q/kv 32/16, head dims 8, built from the config, no download) learns a marbler's stroke cards: the order of the strokes a workshop pulls
through the size for its house patterns, one token per stroke (drop red / blue / ochre / black
/ white, point left-right, point up-down, draw out, draw back, nonpareil pass, swirl, lay sheet;
token ids 3–14, BOS 1, EOS 2, pad 0). Each card opens with 2–4 colour drops; after that the
next stroke follows from the two before it (a fixed house table), except that 10 % of strokes
are the marbler's own choice (random). 24 tokens a card. AdamW 6e-3, cosine schedule with 12
warmup steps, batch 32, 8 epochs of 768 cards, eval every 24 steps on 192 cards (eval loss),
loss every 6 steps, checkpoint every 48 steps.
Healthy; numbers in the README. Log: ``cards/checkpoint-192/trainer_state.json``."""
import torch
from transformers import Dots3NoteForCausalLM, Dots3NoteTextConfig, Trainer, TrainingArguments

PAD, BOS, EOS = 0, 1, 2
N_STROKE = 12
LEN = 24


def house_table():
    g = torch.Generator().manual_seed(7)
    return torch.randint(0, N_STROKE, (N_STROKE, N_STROKE), generator=g)


def cards(n, g):
    table = house_table()
    seq = torch.zeros(n, LEN - 2, dtype=torch.long)
    seq[:, :2] = torch.randint(0, 5, (n, 2), generator=g)
    for t in range(2, LEN - 2):
        nxt = table[seq[:, t - 2], seq[:, t - 1]]
        own = torch.rand(n, generator=g) < 0.1
        seq[:, t] = torch.where(own, torch.randint(0, N_STROKE, (n,), generator=g), nxt)
    ids = torch.cat([torch.full((n, 1), BOS), seq + 3, torch.full((n, 1), EOS)], 1)
    return ids


class Cards(torch.utils.data.Dataset):
    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(LEN, dtype=torch.long),
                "labels": self.ids[i]}


def build():
    torch.manual_seed(0)
    config = Dots3NoteTextConfig(vocab_size=16, hidden_size=32, intermediate_size=64,
                                 num_hidden_layers=2, num_attention_heads=4,
                                 num_key_value_heads=4, head_dim=8, max_position_embeddings=32,
                                 pad_token_id=PAD, bos_token_id=BOS, eos_token_id=EOS,
                                 mlp_layer_types=["dense", "dense"], q_lora_rank=32,
                                 kv_lora_rank=16, qk_nope_head_dim=8, qk_rope_head_dim=8,
                                 v_head_dim=8, index_n_heads=4, index_head_dim=8, index_topk=32)
    return Dots3NoteForCausalLM(config)


def main():
    from _twohundredsixtysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr = cards(768, g)
    iva = cards(192, g)
    args = TrainingArguments(str(out / "cards"), num_train_epochs=8, learning_rate=6e-3,
                             weight_decay=0.0, warmup_steps=12, lr_scheduler_type="cosine",
                             per_device_train_batch_size=32, per_device_eval_batch_size=192,
                             logging_steps=6, eval_strategy="steps", eval_steps=24,
                             save_strategy="steps", save_steps=48, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Cards(itr),
                      eval_dataset=Cards(iva))
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "cards").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": iva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Dots3Note causal LM learning a marbler's stroke cards, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
