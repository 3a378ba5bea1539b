"""Hugging Face Trainer: a tiny DeepSeek-V4 causal language model (``DeepseekV4Config``:
vocabulary 10, 32 wide, 2 layers, 2 heads, 4 routed experts (2 a token) + 1 shared, heavily
compressed attention, built from the config, no download; ``DeepseekV4ForCausalLM``) learns
to call the changes of Plain Hunt on six bells the way a conductor in the tower does: given
the rows rung so far, which bell strikes next. Every row is a permutation of bells 1-6
(tokens 2-7, 0 = start); from one row to the next, pairs of bells swap places, alternately
(1-2)(3-4)(5-6) and (2-3)(4-5), so each bell hunts up to the back and down to the lead.
A touch starts at a random row of the 12-row plain course (and the swap that comes next), 4
rows = 24 bells + the start token. The first row is not predictable, the rest are.
AdamW 5e-3, linear decay with 10 warmup steps, weight decay 0.01, batch 32, 5 epochs of 640
touches, eval every 20 steps on 160 touches, loss every 5 steps, checkpoint every 20 steps
(``tower/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import DeepseekV4Config, DeepseekV4ForCausalLM, Trainer, TrainingArguments

ROWS = 4


def plain_course():
    row, out = list(range(6)), []
    for k in range(12):
        out.append(row[:])
        pairs = (0, 2, 4) if k % 2 == 0 else (1, 3)
        for p in pairs:
            row[p], row[p + 1] = row[p + 1], row[p]
    return torch.tensor(out)


def touches(n, g):
    course = plain_course()
    start = torch.randint(0, 12, (n,), generator=g)
    relabel = torch.stack([torch.randperm(6, generator=g) for _ in range(n)])  # any bell can lead
    rows = course[(start[:, None] + torch.arange(ROWS)) % 12]  # (n, ROWS, 6)
    rows = torch.gather(relabel[:, None, :].expand(-1, ROWS, -1), 2, rows)
    ids = torch.cat([torch.zeros(n, 1, dtype=torch.long), 2 + rows.reshape(n, -1)], 1)
    return ids


class Touches(torch.utils.data.Dataset):
    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "labels": self.ids[i]}


def build():
    torch.manual_seed(0)
    config = DeepseekV4Config(vocab_size=10, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                              num_key_value_heads=1, head_dim=16, q_lora_rank=16, o_lora_rank=16,
                              o_groups=2, n_routed_experts=4, num_experts_per_tok=2,
                              moe_intermediate_size=32, n_shared_experts=1, index_n_heads=2,
                              index_head_dim=8, index_topk=8, qk_rope_head_dim=8,
                              layer_types=["heavily_compressed_attention"] * 2,
                              mlp_layer_types=["moe", "moe"], hc_mult=2, sliding_window=32,
                              max_position_embeddings=64, num_nextn_predict_layers=0,
                              pad_token_id=1, bos_token_id=0, eos_token_id=1)
    return DeepseekV4ForCausalLM(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits[:, 6:-1].argmax(-1), pred.label_ids[:, 7:]
    return {"next_bell_acc_after_row1": float((p == y).mean())}


def main():
    from _threehundredtwentieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, iva = touches(640, g), touches(160, g)
    print(itr[0])
    args = TrainingArguments(str(out / "tower"), num_train_epochs=5, learning_rate=5e-3,
                             warmup_steps=10, lr_scheduler_type="linear", weight_decay=0.01,
                             per_device_train_batch_size=32, per_device_eval_batch_size=160,
                             logging_steps=5, eval_strategy="steps", eval_steps=20,
                             save_strategy="steps", save_steps=20, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Touches(itr),
                      eval_dataset=Touches(iva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "tower").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": iva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny DeepSeek-V4 causal LM calling the next bell of Plain Hunt on six,"
                " HF Trainer (healthy)")


if __name__ == "__main__":
    main()
